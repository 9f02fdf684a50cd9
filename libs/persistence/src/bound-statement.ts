import { createHash } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

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

/** Postgres's code when a prepared statement's result columns changed under it (a migration altered them). */
const FEATURE_NOT_SUPPORTED = '0A000';

/** One name per statement text: the same text is prepared once per connection, whichever caller sends it. */
function statementName(sql: string): string {
  return `sw_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}

/**
 * A read (`$1`, `$2`, … bound) on the pool as a named prepared statement: Postgres parses and plans it once per
 * connection and reuses the plan, where `em.execute` sends the statement as new text each time. For the reads a
 * request runs many times a second (a page of products with their standings, a rank history), planning cost as
 * much Postgres CPU as running them (1.0 ms of 2.3 for the products page). Inside a transaction it runs there,
 * unprepared ({@link executeBound}). A statement whose result columns a migration changed under it is run once
 * more unprepared (Postgres answers `cached plan must not change result type`) and its connection is closed, so
 * the next read prepares it afresh: list the columns a prepared read answers, never `select *`, so that adding a
 * column never comes to that. Needs a session per connection: a pooler in transaction mode in front of Postgres
 * (PgBouncer before 1.21) would lose the statements between transactions.
 */
export async function readPrepared<Row extends object>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<Row[]> {
  if (em.isInTransaction()) {
    return executeBound<Row>(em, sql, params);
  }
  const client = await (await em.getConnection().getNativeClient()).connect();
  const values = [...params];
  let stale: Error | undefined;
  try {
    return (await client.query<Row>({ name: statementName(sql), text: sql, values })).rows;
  } catch (error) {
    if ((error as { code?: unknown }).code !== FEATURE_NOT_SUPPORTED) {
      throw error;
    }
    // The connection's statement stays stale: answer unprepared, then close the connection so the next one
    // prepares the statement afresh.
    stale = error as Error;
    return (await client.query<Row>({ text: sql, values })).rows;
  } finally {
    client.release(stale);
  }
}
