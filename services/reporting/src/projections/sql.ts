import { EntityManager } from '@mikro-orm/postgresql';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null;

/** `(?, ?), (?, ?)` for `rows` tuples of `columns` placeholders (the caller keeps under 65 535 binds). */
export function tuples(rows: number, columns: number): string {
  const tuple = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => tuple).join(', ');
}

/** Runs a statement with `returning`, answering whether it touched a row (false: a replay or an older fact). */
export async function changedAny(em: EntityManager, sql: string, params: SqlValue[]): Promise<boolean> {
  const rows = await em.execute<unknown[]>(sql, params);
  return rows.length > 0;
}
