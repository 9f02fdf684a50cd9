import { createHash } from 'node:crypto';
import { Client, QueryResult } from 'pg';

/** Statement texts to prepare by name, each with its name: one name per text, whichever caller sends it. */
const names = new Map<string, string>();

/** Postgres's code when a prepared statement's result columns changed under it (a migration altered them). */
const FEATURE_NOT_SUPPORTED = '0A000';

/**
 * Marks `sql` (values bound as `$1`, `$2`, …) to be run as a named prepared statement by every connection of
 * every service's pool ({@link PreparingClient}), and returns it. Postgres then parses and plans it once per
 * connection and reuses the plan, inside a transaction as outside, where a statement sent as text is parsed and
 * planned on every run: for the crawl pipeline's statements (a claim, a budget read) planning cost a third of
 * Postgres's CPU. Mark the statements a service runs many times a second, with a fixed text (never one built
 * from a varying number of rows or values: each text is one statement per connection, kept until it closes),
 * and list the columns they answer, never `*` (see {@link PreparingClient} for a migration that changes them).
 */
export function prepared(sql: string): string {
  if (!names.has(sql)) {
    names.set(sql, `sw_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`);
  }
  return sql;
}

/** The part of `pg`'s connection that remembers which statements it prepared (not in its types). */
interface ParsedStatements {
  parsedStatements: Record<string, string>;
}

/**
 * The `pg` client of every service's pool (`ormOptions`' `driverOptions.Client`): a statement marked with
 * {@link prepared} and sent with its values, as kysely and so MikroORM send every statement, is run as a named
 * prepared statement. Everything else is passed on untouched.
 *
 * A migration that changes the columns a prepared statement answers makes Postgres refuse its cached plan
 * (`cached plan must not change result type`). The client then forgets the statement: it deallocates it on the
 * server and runs it again, prepared afresh. Inside a transaction that refusal has already aborted the
 * transaction: the error is the caller's (a handler's message is redelivered, a request answers 500 once), and
 * the statement is deallocated before its next run on this connection.
 * Needs a session per connection: a pooler in transaction mode in front of Postgres (PgBouncer before 1.21)
 * would lose the statements between transactions.
 */
export class PreparingClient extends Client {
  /** Statements Postgres refused to run from their cached plan and that still await their deallocation. */
  private readonly stale = new Set<string>();

  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const name = typeof text === 'string' && Array.isArray(values) && callback === undefined && names.get(text);
    if (name) {
      return this.runPrepared(name, text, values as unknown[]) as never;
    }
    return (super.query as (...rest: unknown[]) => never)(...args);
  }

  private async runPrepared(name: string, text: string, values: unknown[]): Promise<QueryResult> {
    if (this.stale.has(name)) {
      await super.query(`deallocate ${name}`);
      this.stale.delete(name);
    }
    try {
      return await super.query({ name, text, values });
    } catch (error) {
      if ((error as { code?: unknown }).code !== FEATURE_NOT_SUPPORTED) {
        throw error;
      }
      delete (this as unknown as { connection: ParsedStatements }).connection.parsedStatements[name];
      this.stale.add(name);
      try {
        await super.query(`deallocate ${name}`);
      } catch {
        // The refusal aborted the caller's transaction: deallocated before the statement's next run.
        throw error;
      }
      this.stale.delete(name);
      return super.query({ name, text, values });
    }
  }
}
