import { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import { prepared } from './preparing-client';

/**
 * Runs one statement in `em`'s transaction (or on the pool outside one) with its values bound as parameters
 * (`$1`, `$2`, …), answering its rows. MikroORM's `execute` writes every value into the SQL text, escaping it
 * in JavaScript; for a batch's rows passed as one JSON document of a megabyte that escaping (and the copies it
 * makes) was the largest cost of the reporting projection, and Postgres then lexed the megabyte literal again.
 * A bound value travels as it is. Use it for large values; `em.execute` stays fine for small ones.
 */
export async function executeBound<Row extends object>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<Row[]> {
  const result = await em.getKysely().executeQuery<Row>(CompiledQuery.raw(sql, [...params]));
  return [...result.rows];
}

/**
 * {@link executeBound} for a statement run many times a second: marked {@link prepared}, so that each connection
 * parses and plans it once, in `em`'s transaction as on the pool (see `PreparingClient`). For the reads a
 * request runs many times a second (a page of products with their standings, a rank history), planning cost as
 * much Postgres CPU as running them (1.0 ms of 2.3 for the products page). Its text must be fixed, and list the
 * columns it answers.
 */
export function executePrepared<Row extends object>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<Row[]> {
  return executeBound<Row>(em, prepared(sql), params);
}
