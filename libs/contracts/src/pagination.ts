import { z } from 'zod';

/** Paging fields every list request accepts. */
export const pageInput = {
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque; the `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
};

/** One page of a list, with the number of items across all pages. */
export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
  total: number;
}

/** Cursor after the item with this id (ids are UUIDv7, so id order is creation order). */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor points after, or undefined when it is absent or not one of ours. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return z.uuid().safeParse(id).success ? id : undefined;
}

/**
 * Bytes of JSON the items of one page may take. A NATS reply is one message (1 MB by default): a page of
 * `limit` large items (a product with 50 keywords of 200 characters is ~18 KB) would not fit, so a page
 * stops early and its `nextCursor` leads to the rest.
 */
export const PAGE_MAX_BYTES = 512 * 1024;

/**
 * How many of `items`, from the first, fit in `maxBytes` of JSON: at least one (so a reader paging on always
 * advances, even past one item larger than the budget), at most all of them.
 */
export function countWithinBytes(items: readonly unknown[], maxBytes = PAGE_MAX_BYTES): number {
  let bytes = 0;
  for (const [index, item] of items.entries()) {
    bytes += Buffer.byteLength(JSON.stringify(item));
    if (index > 0 && bytes > maxBytes) {
      return index;
    }
  }
  return items.length;
}

/**
 * Builds a page from `limit + 1` rows fetched in id order. The page stops before the item that would take
 * its items past `maxBytes` of JSON ({@link countWithinBytes}); its `nextCursor` then points after the last
 * item it holds, so no item is skipped.
 */
export function toPage<T extends { id: string }, R>(
  rows: T[],
  limit: number,
  total: number,
  map: (row: T) => R,
  maxBytes = PAGE_MAX_BYTES,
): Page<R> {
  const kept = rows.slice(0, limit);
  const mapped = kept.map(map);
  const fit = countWithinBytes(mapped, maxBytes);
  const last = kept[fit - 1];
  const more = fit < kept.length || rows.length > limit;
  return { items: mapped.slice(0, fit), nextCursor: more && last ? encodeCursor(last.id) : null, total };
}
