import { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from './bound-statement';

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

/**
 * The statement with its `?` placeholders numbered `$1`, `$2`, … in order, for {@link executeBound}: the same
 * hand-written SQL as for `em.execute`, its values then bound as parameters instead of escaped into the text.
 * Refuses `??` (MikroORM's identifier placeholder), which has no bound equivalent.
 */
export function numberedPlaceholders(sql: string): string {
  if (sql.includes('??')) {
    throw new Error('numberedPlaceholders: `??` (an identifier placeholder) cannot be bound');
  }
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/**
 * Runs a statement with `returning` (a fixed text, `?` placeholders), prepared, answering whether it touched a
 * row (false: a replay or an older fact).
 */
export async function changedAny(em: EntityManager, sql: string, params: SqlValue[]): Promise<boolean> {
  const rows = await executePrepared(em, numberedPlaceholders(sql), params);
  return rows.length > 0;
}

/** A column with one value for every row (the crawl's id, its time). */
export interface SharedColumn {
  name: string;
  /** The Postgres type the value is cast to. */
  type: string;
  value: SqlValue;
}

/** A column with a value per row, written from one array. */
export interface ArrayColumn<Row> {
  name: string;
  /** The Postgres type of one element (the array is cast to `type[]`). */
  type: string;
  of: (row: Row) => SqlValue;
}

/** The `insert … select … from unnest(…)` of a set of rows, as SQL with `?` placeholders and their values. */
export interface UnnestInsert {
  sql: string;
  params: SqlValue[];
}

/**
 * One `insert` for every row, whatever their number: each per-row column travels as one Postgres array
 * literal that `unnest` turns back into rows, so the statement has a fixed shape and a fixed number of
 * values (one per column), where a multi-row `values` list grows with the rows. Arrays of equal length
 * unnest side by side, row i of every column together; an empty set inserts nothing.
 */
export function unnestInsert<Row>(
  table: string,
  shared: readonly SharedColumn[],
  columns: readonly ArrayColumn<Row>[],
  rows: readonly Row[],
): UnnestInsert {
  const names = [...shared, ...columns].map((column) => column.name).join(', ');
  const sharedValues = shared.map((column) => `?::${column.type}`);
  const aliases = columns.map((_, index) => `u.c${index}`);
  const arrays = columns.map((column) => `?::${column.type}[]`).join(', ');
  return {
    sql:
      `insert into ${table} (${names}) select ${[...sharedValues, ...aliases].join(', ')}` +
      ` from unnest(${arrays}) as u (${aliases.map((alias) => alias.slice(2)).join(', ')})`,
    params: [
      ...shared.map((column) => column.value),
      ...columns.map((column) => arrayLiteral(rows.map((row) => column.of(row)))),
    ],
  };
}

/**
 * A Postgres array literal (`{"a","b",NULL}`): every element double-quoted with `"` and `\` escaped, so an
 * empty string, the word NULL, commas, braces and whitespace stay data; SQL NULL is the bare word.
 */
export function arrayLiteral(values: readonly SqlValue[]): string {
  return `{${values.map(arrayElement).join(',')}}`;
}

function arrayElement(value: SqlValue): string {
  if (value === null) {
    return 'NULL';
  }
  if (typeof value === 'boolean') {
    return value ? 't' : 'f';
  }
  return `"${String(value).replace(/["\\]/g, '\\$&')}"`;
}
