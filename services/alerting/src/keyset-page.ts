import { EntityManager } from '@mikro-orm/postgresql';

/** What to page through: `select <columns> from <from> where <where>`, keyed by a UUIDv7 column. */
export interface PagedQuery {
  columns: string;
  from: string;
  where: string;
  params: (string | number | boolean)[];
  /** Column ordering the pages, newest first (UUIDv7: id order is creation order). */
  key: string;
}

/**
 * One page of `limit + 1` rows after the cursor's key (for `toPage`), and the number of rows matching in all
 * (a COUNT, never loaded rows): two statements whatever the page.
 */
export async function keysetPage<Row>(
  em: EntityManager,
  query: PagedQuery,
  page: { limit: number; after?: string },
): Promise<{ rows: Row[]; total: number }> {
  const [count] = await em.execute<{ total: string }[]>(
    `select count(*) as total from ${query.from} where ${query.where}`,
    query.params,
  );
  const after = page.after === undefined ? '' : ` and ${query.key} < ?`;
  const rows = await em.execute<Row[]>(
    `select ${query.columns} from ${query.from} where ${query.where}${after} order by ${query.key} desc limit ?`,
    [...query.params, ...(page.after === undefined ? [] : [page.after]), page.limit + 1],
  );
  return { rows, total: Number(count?.total ?? 0) };
}
