import { Client } from 'pg';
import { ServiceName } from '@shelfwatch/config';
import { databaseName, serviceRole, serviceSchema, withDatabase } from './database-url';

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Swallows a Postgres error of the given SQLSTATE (someone else did the same thing first). */
function ignoreCode(code: string): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof Error && 'code' in error && error.code === code)) {
      throw error;
    }
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `adminUrl` if it does not exist (connecting to `postgres` to do so). */
export async function ensureDatabase(adminUrl: string): Promise<void> {
  const name = databaseName(adminUrl);
  await withClient(withDatabase(adminUrl, 'postgres'), async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      // Two provisioners racing: the other one created it.
      await client.query(`create database ${quoteIdent(name)}`).catch(ignoreCode('42P04'));
    }
  });
}

/**
 * Idempotently gives a service its role and schema: the role owns the schema, has it as search path,
 * may connect to the database, and has no right on any other service's schema. `password` is set only
 * when given (development); in production the role's credentials are managed outside.
 */
export async function ensureServiceSchema(adminUrl: string, service: ServiceName, password?: string): Promise<void> {
  const role = serviceRole(service);
  const schema = serviceSchema(service);
  const database = databaseName(adminUrl);
  // Serialise concurrent provisioners on the whole server, not per database: roles are cluster-wide, and two
  // provisioners of different databases altering one role at once fail with "tuple concurrently updated" (seen
  // when two test files started services side by side). An advisory lock belongs to one database, so it is held
  // on a connection to `postgres`, which every server has.
  await withClient(withDatabase(adminUrl, 'postgres'), async (lock) => {
    await lock.query('select pg_advisory_lock(hashtext($1))', ['shelfwatch.provision']);
    try {
      await withClient(adminUrl, async (client) => {
        const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
        if (exists.rowCount === 0) {
          // CREATE ROLE has no IF NOT EXISTS; a provisioner that does not take the lock may still win.
          await client.query(`create role ${quoteIdent(role)} login`).catch(ignoreCode('42710'));
        }
        if (password !== undefined) {
          await client.query(`alter role ${quoteIdent(role)} with login password ${quoteLiteral(password)}`);
        }
        await client.query(`grant connect on database ${quoteIdent(database)} to ${quoteIdent(role)}`);
        await client.query(`create schema if not exists ${quoteIdent(schema)} authorization ${quoteIdent(role)}`);
        await client.query(`alter schema ${quoteIdent(schema)} owner to ${quoteIdent(role)}`);
        await client.query(
          `alter role ${quoteIdent(role)} in database ${quoteIdent(database)} set search_path = ${quoteIdent(schema)}`,
        );
        await client.query(`revoke create on schema public from public`);
      });
    } finally {
      await lock.query('select pg_advisory_unlock(hashtext($1))', ['shelfwatch.provision']);
    }
  });
}

/** Drops a database, ending its connections first (test clean-up). */
export async function dropDatabase(adminUrl: string): Promise<void> {
  const name = databaseName(adminUrl);
  await withClient(withDatabase(adminUrl, 'postgres'), async (client) => {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  });
}
