import { z } from 'zod';

/** An ISO 8601 date-time string as answers carry it (`format: date-time` in the OpenAPI document). */
export const isoDate = z.string().meta({ format: 'date-time', description: 'ISO 8601 date-time' });

/**
 * A page of `item`s (the {@link Page} of an answer): the items, the cursor of the next page (null on the last)
 * and the matching total. A page of an item named in the OpenAPI document (`.meta({ id })`) is named
 * `<id>Page` there.
 */
export function pageOf<T extends z.ZodType>(item: T) {
  const page = z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().int().nonnegative().describe('Matching items over all pages, counted by the database'),
  });
  const id = z.globalRegistry.get(item)?.id;
  return id === undefined ? page : page.meta({ id: `${id}Page` });
}
