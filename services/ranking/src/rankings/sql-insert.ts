import { EntityManager } from '@mikro-orm/postgresql';

/** Postgres refuses statements with more bind parameters than this. */
export const MAX_BIND_PARAMS = 65_535;

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null;

/**
 * Inserts rows with multi-row `VALUES` statements: one statement for up to `MAX_BIND_PARAMS / columns`
 * rows (a crawl's shelf always fits in one), never one statement per row.
 */
export async function insertRows(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  const perStatement = Math.floor(MAX_BIND_PARAMS / columns.length);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await em.execute(
      `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => tuple).join(', ')}`,
      chunk.flat(),
      'run',
    );
  }
}
