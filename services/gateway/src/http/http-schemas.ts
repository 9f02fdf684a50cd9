import { z } from 'zod';

/** `:id` of a resource; a malformed id is a 400, an unknown or foreign one a 404. */
export const idParams = z.object({ id: z.uuid() });

/** Paging of every list, from the query string (numbers arrive as text). */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100 (default 20)'),
  cursor: z.string().min(1).max(200).optional().describe('The `nextCursor` of the previous page'),
};
