import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { Topology, deleteStreams } from '@shelfwatch/messaging';
import { dropDatabase, withDatabase } from '@shelfwatch/persistence';
import {
  TEST_NATS_URL,
  TEST_POSTGRES_URL,
  eventually,
  freePort,
  freePorts,
  testNamespace,
  uniqueSuffix,
} from '@shelfwatch/testing';
import { dropRateLimitKeys } from '../../../services/gateway/test/rate-limit-keys';
import { DEMO_KEYWORDS, DemoState } from '../demo';
import { findNatsServer } from '../local-deps';
import {
  LauncherProcess,
  freePortOffset,
  processesOfNamespace,
  servicePids,
  spawnLauncher,
  untilNoProcessOf,
} from './launcher-process';

// Runs the BUILT launcher (`npm run build` first), as `npm start` does, on ports, a database, a NATS namespace and
// a data directory of its own. Each run starts the simulator and seven services: on two cores, about 15 s.

jest.setTimeout(300_000);

const READY = /^start: all 8 ready/;

/** What the checks read of the health service's `GET /health`. */
interface HealthBody {
  components: { name: string; status: string; message: string | null }[];
  instances: { service: string }[];
}

/**
 * Sends SIGTERM and resolves with the launcher's exit code. How long it took is the launcher's own business: it
 * `SIGKILL`s what outlives its stop deadlines and says so in its "stopped" line, which the callers check instead.
 */
async function terminate(launcher: LauncherProcess): Promise<number | null> {
  launcher.child.kill('SIGTERM');
  return (await launcher.exited).code;
}

/** The launcher's lines saying it had to kill a child that outlived its stop deadline. */
const killedAfterDeadline = (launcher: LauncherProcess): string[] =>
  launcher.output.filter((line) => line.includes('killed after the deadline'));

/**
 * How long the launcher may wait for readiness here. Its default (60 s) is the promise to users; on a CPU shared
 * with other test runs the tests give it more, and check that it got ready, not how fast.
 */
const READY_TIMEOUT_MS = 150_000;

async function removeStreams(namespace: string): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    await deleteStreams(await jetstreamManager(nc), new Topology(namespace));
  } finally {
    await nc.close();
  }
}

/** The demo tenant's three keywords were crawled, and the API shows the demo product on the shelf. */
async function expectDemoRanked(launcher: LauncherProcess, dataDir: string, gateway: string): Promise<void> {
  for (const keyword of DEMO_KEYWORDS) {
    await launcher.waitForLine(new RegExp(`^start: demo: "${keyword}" crawled after .*: demo product #\\d+`), 60_000);
  }
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoState;
  const keywordId = demo.products[0]?.keywords[0]?.id ?? '';
  const response = await fetch(`${gateway}/v1/keywords/${keywordId}/rankings/latest`, {
    headers: { authorization: `Bearer ${demo.apiKey}` },
  });
  expect(response.status).toBe(200);
  const latest = (await response.json()) as { crawl: unknown; standings: { productId: string; rank: number | null }[] };
  expect(latest.crawl).not.toBeNull();
  expect(latest.standings).toEqual([
    expect.objectContaining({ productId: demo.products[0]?.id, rank: expect.any(Number) }),
  ]);
}

describe('npm start', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sw-start-'));
    // Postgres runs as its own user when the tests run as root: it must reach its directory.
    chmodSync(dataDir, 0o755);
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every service ready on the given Postgres and NATS, ranks the demo products, and SIGTERM leaves no process', async () => {
    const namespace = testNamespace();
    const databaseUrl = withDatabase(TEST_POSTGRES_URL, `sw_t_${uniqueSuffix()}`);
    const offset = await freePortOffset();
    const launcher = spawnLauncher({
      DATABASE_URL: databaseUrl,
      NATS_URL: TEST_NATS_URL,
      SHELFWATCH_NAMESPACE: namespace,
      START_PORT_OFFSET: String(offset),
      START_DATA_DIR: dataDir,
      START_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
    });
    try {
      await launcher.waitForLine(READY, READY_TIMEOUT_MS + 30_000);
      // A NATS it did not start may let anyone publish anything: the launcher says so.
      expect(launcher.output).toContain(
        `start: nats: NATS_URL (127.0.0.1:4222); this NATS may be open: ShelfWatch enforces no users or ` +
          'permissions on a NATS it did not start',
      );
      const healthLine = await launcher.waitForLine(/^ {2}health /, 5_000);
      expect(healthLine).toBe(`  health         http://127.0.0.1:${3006 + offset}/health`);
      expect((await fetch(`http://127.0.0.1:${3006 + offset}/health/ready`)).status).toBe(200);
      // Eight children (simulator + seven services), each in its own process group.
      expect(processesOfNamespace(namespace).length).toBeGreaterThanOrEqual(8);
      await expectDemoRanked(launcher, dataDir, `http://127.0.0.1:${3000 + offset}`);

      // A service killed outright is started again, and answers ready again, while the others keep running.
      const [ranking] = servicePids(namespace, 'ranking');
      expect(ranking).toBeDefined();
      process.kill(ranking ?? 0, 'SIGKILL');
      await launcher.waitForLine(/^start: ranking exited \(SIGKILL\); restarting in 1\.0 s \(attempt 1\)$/, 10_000);
      await launcher.waitForLine(/^start: ranking ready again [\d.]+ s after restart \(attempt 1\)$/, 60_000);
      const again = servicePids(namespace, 'ranking');
      expect(again).toHaveLength(1);
      expect(again).not.toContain(ranking);
      expect((await fetch(`http://127.0.0.1:${3002 + offset}/health/ready`)).status).toBe(200);
      expect(launcher.output.filter((line) => line.startsWith('start: stopping'))).toEqual([]);

      expect(await terminate(launcher)).toBe(0);
      expect(launcher.output.some((line) => line.startsWith('start: stopped in'))).toBe(true);
      expect(killedAfterDeadline(launcher)).toEqual([]);
      expect(processesOfNamespace(namespace)).toEqual([]);
    } finally {
      launcher.child.kill('SIGKILL');
      await removeStreams(namespace);
      await dropDatabase(databaseUrl);
      // The launcher shares rate limits through the machine's Redis when one answers: its change counters go too.
      await dropRateLimitKeys(namespace);
    }
  });

  const natsServer = findNatsServer({ natsServerBin: null, path: process.env.PATH ?? '' });
  (natsServer ? it : it.skip)(
    'runs an embedded Postgres and a nats-server in the data directory when none answers, and again on restart under a shell',
    async () => {
      const namespace = testNamespace();
      // Two ports picked together, and the services' kept clear of them: separate picks may hand out one port twice.
      const [postgresPort, natsPort] = await freePorts(2);
      const env = {
        SHELFWATCH_NAMESPACE: namespace,
        START_PORT_OFFSET: String(await freePortOffset([postgresPort ?? 0, natsPort ?? 0])),
        START_POSTGRES_PORT: String(postgresPort),
        START_NATS_PORT: String(natsPort),
        START_DATA_DIR: dataDir,
        START_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
      };
      for (const run of ['first', 'restart'] as const) {
        // The restart runs as `npm start` does, under a shell; SIGTERM then reaches the shell only.
        const launcher = spawnLauncher(env, run === 'restart');
        try {
          await launcher.waitForLine(READY, READY_TIMEOUT_MS + 30_000);
          expect(launcher.output.some((line) => line.includes('starting an embedded one'))).toBe(true);
          expect(launcher.output.some((line) => line.includes('with JetStream in'))).toBe(true);
          // The demo tenant is made once, and found again after a restart (its key is kept in demo.json).
          await launcher.waitForLine(
            run === 'first' ? /^start: demo: created the demo tenant/ : /^start: demo: reusing/,
            30_000,
          );
          if (run === 'restart') {
            // Same cluster, same schemas: nothing left to apply.
            expect(launcher.output).toContain('start: migrate ranking: up to date');
          }
          launcher.child.kill('SIGTERM');
          // Postgres' own processes and nats-server included; each stopped on SIGTERM, none killed.
          await untilNoProcessOf(namespace, 60_000);
          if (run === 'first') {
            expect((await launcher.exited).code).toBe(0);
            expect(killedAfterDeadline(launcher)).toEqual([]);
          }
        } finally {
          launcher.child.kill('SIGKILL');
        }
      }
      await dropRateLimitKeys(namespace);
    },
  );

  const withNats = natsServer ? it : it.skip;
  withNats(
    'runs its own nats-server with a user per service, and every service does its work as its own user',
    async () => {
      const namespace = testNamespace();
      const databaseUrl = withDatabase(TEST_POSTGRES_URL, `sw_t_${uniqueSuffix()}`);
      const natsPort = await freePort();
      const offset = await freePortOffset([natsPort]);
      const launcher = spawnLauncher({
        DATABASE_URL: databaseUrl,
        SHELFWATCH_NAMESPACE: namespace,
        START_PORT_OFFSET: String(offset),
        START_NATS_PORT: String(natsPort),
        START_DATA_DIR: dataDir,
        START_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
      });
      try {
        await launcher.waitForLine(READY, READY_TIMEOUT_MS + 30_000);
        expect(launcher.output.some((line) => line.includes('a user per service'))).toBe(true);
        // Nobody gets in without a user; the services do, each as its own, and the demo crawl flows through
        // the gateway, crawler, ranking and reporting under their permissions.
        await expect(connect({ servers: `nats://127.0.0.1:${natsPort}` })).rejects.toThrow(/Authorization/i);
        await expectDemoRanked(launcher, dataDir, `http://127.0.0.1:${3000 + offset}`);
        // The health service inspects every stream and hears every service's heartbeat, as its own user too.
        await eventually(async () => {
          const health = (await (await fetch(`http://127.0.0.1:${3006 + offset}/health`)).json()) as HealthBody;
          expect(health.components).toContainEqual(
            expect.objectContaining({ name: 'jetstream', status: 'up', message: expect.stringMatching(/^6 streams/) }),
          );
          expect([...new Set(health.instances.map((instance) => instance.service))].sort()).toEqual(
            [...SERVICE_NAMES].sort(),
          );
        }, 30_000);
        expect(launcher.output.filter((line) => /Permissions Violation/i.test(line))).toEqual([]);
        expect(await terminate(launcher)).toBe(0);
        expect(killedAfterDeadline(launcher)).toEqual([]);
        await untilNoProcessOf(namespace, 60_000);
      } finally {
        launcher.child.kill('SIGKILL');
        await dropDatabase(databaseUrl);
        await dropRateLimitKeys(namespace);
      }
    },
  );

  it('stops with a message saying what to start when nothing answers at DATABASE_URL', async () => {
    const port = await freePort();
    const launcher = spawnLauncher({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/shelfwatch`,
      NATS_URL: TEST_NATS_URL,
      START_DATA_DIR: dataDir,
    });
    const { code } = await launcher.exited;
    expect(code).toBe(1);
    expect(launcher.output).toContain(
      `start: no Postgres answers at DATABASE_URL (127.0.0.1:${port}). Start it, or unset DATABASE_URL to use ` +
        'the one on 127.0.0.1:5432 or an embedded one.',
    );
  });
});
