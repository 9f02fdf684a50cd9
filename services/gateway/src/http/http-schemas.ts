import { z } from 'zod';

/** `:id` of a resource; a malformed id is a 400, an unknown or foreign one a 404. */
export const idParams = z.object({ id: z.uuid() });

/** Paging of every list, from the query string (numbers arrive as text). */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100 (default 20)'),
  cursor: z.string().min(1).max(200).optional().describe('The `nextCursor` of the previous page'),
};

/**
 * A page of `item`s: the items, the cursor of the next page (null on the last) and the matching total. A page of
 * an item named in the OpenAPI document (`.meta({ id })`) is named `<id>Page` there.
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

/** An ISO 8601 date-time string as the API sends it (`format: date-time` in the OpenAPI document). */
export const isoDate = z.string().meta({ format: 'date-time', description: 'ISO 8601 date-time' });
