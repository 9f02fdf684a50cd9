/** Helpers of the benchmarks: services spawned from dist as deployed, readiness, ports, bounded concurrency. */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ServiceName } from '@shelfwatch/config';
import { TestDatabase, createTestDatabase, eventually, testNamespace } from '@shelfwatch/testing';
import { Client } from 'pg';
import { loadCliConfig } from '../tools/cli/cli.config';
import { migrateAll } from '../tools/cli/migrate';
import { provisionAll } from '../tools/cli/provision';

export const ROOT = resolve(__dirname, '..', '..');

/** A fresh database and NATS namespace for one benchmark run, and the environment its services share. */
export interface BenchPlatform {
  db: TestDatabase;
  namespace: string;
  env: Record<string, string>;
}

/**
 * Creates the run's database and namespace, migrates the given services (every one by default) and declares
 * the streams and consumers, as `npm run migrate` and `npm run provision` do.
 */
export async function benchPlatform(services?: readonly ServiceName[]): Promise<BenchPlatform> {
  const db = await createTestDatabase();
  const namespace = testNamespace();
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: db.adminUrl,
    SHELFWATCH_NAMESPACE: namespace,
    LOG_LEVEL: 'warn',
    OTEL_SDK_DISABLED: 'true',
  };
  const config = loadCliConfig(env);
  await migrateAll(config, () => undefined, services);
  await provisionAll(config, () => undefined);
  return { db, namespace, env };
}

/** `BENCH_NODE_ARGS`, split: extra Node flags for every service a bench starts (e.g. `--cpu-prof`). */
export function benchNodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

/**
 * Starts a built script (`dist/...`) in its own Node process; services get the observability preload.
 * Its log (stdout, warnings and up at LOG_LEVEL=warn) goes to `<tmp>/shelfwatch-bench-logs/<name>.log`.
 * `BENCH_NODE_ARGS` (e.g. `--cpu-prof`) is passed to every service, to profile them under load.
 */
export function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  const nodeArgs = benchNodeArgs();
  const args = script.includes('services/')
    ? [...nodeArgs, '--require', './dist/libs/observability/src/preload.js', script]
    : [script];
  const logDir = join(tmpdir(), 'shelfwatch-bench-logs');
  mkdirSync(logDir, { recursive: true });
  const log = openSync(
    join(logDir, `${basename(script, '.js') === 'main' ? basename(dirname(dirname(script))) : basename(script)}.log`),
    'w',
  );
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  return child;
}

/** Stops the children it started (SIGTERM, then SIGKILL after 5 s). */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Resolves once `url` (a `/health/ready`) answers 200; gives up after 90 s. */
export async function ready(url: string): Promise<void> {
  await eventually(
    async () => {
      const response = await fetch(url);
      if (response.status !== 200) {
        throw new Error(`${url} answered ${response.status}`);
      }
    },
    90_000,
    200,
  );
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) {
          await work(item);
        }
      }
    }),
  );
}

/**
 * Ranking rows committed so far: the item counts of the recorded crawls. Ranking inserts a crawl's `crawls` row
 * and its rows in one statement, so this equals `count(*)` of `ranking_rows` at every commit, while reading one
 * row per crawl instead of a hundred. (Polled every 250 ms, `count(*)` of `ranking_rows` took 36 ms a poll at 60,000
 * rows, 1.8 s of Postgres time in a 600-crawl quick run, charged to the pipeline's CPU per crawl.)
 */
export async function countRankingRows(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      'select coalesce(sum(item_count), 0) as count from ranking.crawls',
    );
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Keeps the crawler's scheduler out of the measurement: once the crawler has projected all `expected`
 * keywords, their first scheduled crawl (otherwise due within 5 minutes) moves a day ahead. Without it the
 * scheduler, woken by the manual requests, crawls the same keywords too and raises their alerts first.
 */
export async function holdScheduler(url: string, expected: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await eventually(
      async () => {
        const { rows } = await client.query<{ count: string }>('select count(*) from crawler.keywords');
        if (Number(rows[0]?.count) < expected) {
          throw new Error(`${rows[0]?.count} keywords`);
        }
      },
      120_000,
      100,
    );
    await client.query(`update crawler.keywords set next_due_at = now() + interval '1 day'`);
    const { rows } = await client.query<{ count: string }>('select count(*) from crawler.crawl_runs');
    if (Number(rows[0]?.count) > 0) {
      throw new Error(`the scheduler already started ${rows[0]?.count} crawls`);
    }
  } finally {
    await client.end();
  }
}

/** `http://127.0.0.1:<port>/health/ready` of a service started by {@link spawnNode}. */
export function readyUrl(port: number): string {
  return `http://127.0.0.1:${port}/health/ready`;
}
