import { Writable } from 'node:stream';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { Client } from 'pg';
import { createLogger } from '../src';

/** The email a hostile or unlucky user registered twice: it must never reach a log line. */
const EMAIL = 'victim-CANARY@example.com';

/**
 * A unique violation from the real Postgres, as pg throws it and as MikroORM rethrows it (the detail, with
 * the row's values, appended to its message), logged through the real logger and its error serializer.
 */
describe('database errors in the log', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.adminUrl });
    await client.connect();
    await client.query('create table sellers (id serial primary key, email text not null unique, plan int)');
    await client.query('insert into sellers (email) values ($1)', [EMAIL]);
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  async function failure(sql: string, params: unknown[]): Promise<Error> {
    const error: unknown = await client.query(sql, params).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof Error)) {
      throw new Error(`expected ${sql} to fail`);
    }
    return error;
  }

  function logged(error: Error): { text: string; line: Record<string, unknown> } {
    let text = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString();
        callback();
      },
    });
    createLogger({ service: 'gateway', level: 'info', destination }).error({ err: error }, 'insert failed');
    return { text, line: JSON.parse(text) as Record<string, unknown> };
  }

  it('keeps code, constraint and table of a unique violation, and not the duplicate value', async () => {
    const error = await failure('insert into sellers (email) values ($1)', [EMAIL]);
    expect(error).toMatchObject({ code: '23505', detail: expect.stringContaining(EMAIL) });

    const { text, line } = logged(error);

    expect(text).not.toContain('CANARY');
    expect(line.err).toMatchObject({
      message: 'duplicate key value violates unique constraint "sellers_email_key"',
      code: '23505',
      constraint: 'sellers_email_key',
      table: 'sellers',
    });
  });

  it('does the same for the exception MikroORM makes of it, whose message carries the detail', async () => {
    const pgError = await failure('insert into sellers (email) values ($1)', [EMAIL]);
    const error = new PostgreSqlPlatform().getExceptionConverter().convertException(pgError);
    expect(error.message).toContain(EMAIL);

    const { text, line } = logged(error);

    expect(text).not.toContain('CANARY');
    expect(line.err).toMatchObject({ type: 'UniqueConstraintViolationException', constraint: 'sellers_email_key' });
  });

  it('drops the value a data exception quotes in its message', async () => {
    const error = await failure('update sellers set plan = $1 where email = $2', ['CANARY-not-a-number', EMAIL]);

    const { text, line } = logged(error);

    expect(text).not.toContain('CANARY');
    expect(line.err).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "[REDACTED]"' });
  });
});
