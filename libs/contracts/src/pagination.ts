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

/** Builds a page from `limit + 1` rows fetched in id order. */
export function toPage<T extends { id: string }, R>(
  rows: T[],
  limit: number,
  total: number,
  map: (row: T) => R,
): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null, total };
}
