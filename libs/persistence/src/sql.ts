import { EntityManager } from '@mikro-orm/postgresql';

/**
 * The helpers of hand-written SQL, which lives only in a store (a feature's `*.store.ts`, a read's `*.query.ts`, a
 * reporting projection); docs/architecture.md, "Conventions".
 */

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null;

/** `?, ?, ?` for an `in (…)` list of `count` values (the caller keeps under 65,535 binds). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** `(?, ?), (?, ?)` for `rows` tuples of `columns` placeholders (the caller keeps under 65,535 binds). */
export function tuples(rows: number, columns: number): string {
  const tuple = `(${placeholders(columns)})`;
  return Array.from({ length: rows }, () => tuple).join(', ');
}

/** Runs a statement with `returning`, answering whether it touched a row (false: a replay or an older fact). */
export async function changedAny(em: EntityManager, sql: string, params: SqlValue[]): Promise<boolean> {
  const rows = await em.execute<unknown[]>(sql, params);
  return rows.length > 0;
}
