import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pause } from '@shelfwatch/testing';
import { Client, ClientConfig } from 'pg';

/**
 * Postgres of the fault run's own (its NATS is `PrivateNats` of `@shelfwatch/testing`), so the run may crash and
 * restart them without touching the machine's shared servers (other test runs keep working). Both are the
 * machine's binaries, not stand-ins.
 */

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const version = versions[0];
  if (version === undefined) {
    throw new Error('the fault run needs the PostgreSQL server binaries (Debian package postgresql)');
  }
  return join(root, version, 'bin');
}

/**
 * A pg client for the suite's own queries. The suite crashes Postgres on purpose: a client connected at that
 * moment must fail its query (which the caller retries or reports), not emit an unhandled 'error' event that
 * fails the whole run.
 */
export function suiteClient(connectionString: string, options: Omit<ClientConfig, 'connectionString'> = {}): Client {
  const client = new Client({ connectionString, ...options });
  client.on('error', () => undefined);
  return client;
}

/** Committed rows of a service's outbox that no relay has published yet. */
export async function unpublishedRows(client: Client, schema: string): Promise<number> {
  const { rows } = await client.query<{ count: string }>(
    `select count(*) from "${schema}".outbox where published_at is null`,
  );
  return Number(rows[0]?.count ?? 0);
}

/** Runs a Postgres binary as the `postgres` user when we are root (initdb and postgres refuse root). */
function asPostgres(bin: string, args: string[]): string {
  const path = join(postgresBin(), bin);
  const asRoot = process.getuid?.() === 0;
  return execFileSync(asRoot ? 'runuser' : path, asRoot ? ['-u', 'postgres', '--', path, ...args] : args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A throw-away Postgres cluster on its own port, which the run may crash (`-m immediate`) and restart. */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(port: number): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'sw-faults-pg-'));
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, uid, gid);
    }
    asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    const pg = new PrivatePostgres(port, dir);
    await pg.start();
    const client = suiteClient(pg.adminUrl('postgres'));
    await client.connect();
    await client.query('create database shelfwatch');
    await client.end();
    return pg;
  }

  adminUrl(database = 'shelfwatch'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c max_connections=300`;
    asPostgres('pg_ctl', ['start', '-w', '-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-o', options]);
    await pause(100);
  }

  /** Stops like a crash: no shutdown checkpoint, every connection cut; recovery replays the WAL on start. */
  crash(): void {
    asPostgres('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', join(this.dir, 'data')]);
  }

  async destroy(): Promise<void> {
    try {
      this.crash();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
    await pause(0);
  }
}

/** A nats-server with JetStream (file storage in its own directory) that the run may stop and start again. */
