/**
 * Retention purge: rate (rows/s) and the gateway's `GET /v1/products` p99 while the ranking purges, next to
 * the same read without a purge. Gateway, ranking and retention run as processes, as deployed. Two
 * scenarios, each in a fresh database and namespace:
 * - `batched`: the expired rows sit in the default partition (no daily partition covers them), so every
 *   one goes through bounded batches (10,000 rows, 100 ms pause: the defaults);
 * - `partitioned`: the expired rows sit in their own daily partitions, which are dropped whole.
 * Writes bench/retention-results.json and bench/RETENTION-REPORT.md. `BENCH_ROWS` sizes it (old = new).
 */
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RetentionSweepView } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { Client } from 'pg';
import { benchPhases, machineInfo, percentile } from './bench-report';
import { ROOT, benchPlatform, readyUrl, ready, spawnNode } from './bench-processes';

const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const BASELINE_MS = Number(process.env.BENCH_BASELINE_MS ?? 15_000);
const READERS = 4;
const ADMIN_KEY = `bench-admin-${randomUUID()}`;
const GATEWAY = 'http://127.0.0.1:3390';

type Scenario = 'batched' | 'partitioned';

interface ScenarioResult {
  scenario: Scenario;
  deleted: number;
  batches: number;
  partitionsDropped: number;
  purgeSeconds: number;
  rowsPerSecond: number;
  baseline: Latency;
  duringPurge: Latency;
  leftOld: number;
  leftNew: number;
}

interface Latency {
  requests: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

/** `READERS` loops reading the tenant's products until `until` resolves; latencies in ms. */
async function readLoad(apiKey: string, until: Promise<unknown>): Promise<Latency> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (!done) {
        const started = performance.now();
        const response = await fetch(`${GATEWAY}/v1/products?limit=20`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        errors += response.status === 200 ? 0 : 1;
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    requests: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    errors,
  };
}

async function gatewayJson<T>(path: string, key: string, body?: unknown): Promise<T> {
  const response = await fetch(`${GATEWAY}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) {
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/** The tenant's rows: `ROWS` older than 30 days (31 to 45 days old) and `ROWS` newer (0 to 29 days old). */
async function seed(sql: Client, tenantId: string, scenario: Scenario): Promise<void> {
  if (scenario === 'partitioned') {
    await sql.query('set role shelfwatch_ranking');
    for (let daysAgo = 46; daysAgo >= 0; daysAgo--) {
      const day = new Date(Math.floor(Date.now() / 86_400_000 - daysAgo) * 86_400_000);
      const name = `ranking_rows_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
      const next = new Date(day.getTime() + 86_400_000);
      await sql.query(
        `create table if not exists ranking.${name} partition of ranking.ranking_rows
           for values from ('${day.toISOString()}') to ('${next.toISOString()}')`,
      );
    }
    await sql.query('reset role');
  }
  for (const [from, to] of [
    [45, 31],
    [29, 0.01],
  ]) {
    await sql.query(
      `insert into ranking.ranking_rows
         (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, title, mall, price, brand, excluded)
       select $1::uuid, $2::uuid, $2::uuid,
              now() - ($3::float8 - ($3::float8 - $4::float8) * g / $5::float8) * interval '1 day',
              g % 100 + 1, 'ext-' || g, 'A product title of some length', 'Mall', 12345, 'Brand', false
         from generate_series(0, $5::int - 1) g`,
      [tenantId, randomUUID(), from, to, ROWS],
    );
  }
  await sql.query('vacuum analyze ranking.ranking_rows');
}

function spawnService(service: string, env: Record<string, string>): ChildProcess {
  return spawnNode(`dist/services/${service}/src/main.js`, env);
}

async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const { db, env } = await benchPlatform(['gateway', 'ranking', 'retention']);
  const children: ChildProcess[] = [
    spawnService('gateway', {
      ...env,
      PORT: '3390',
      ADMIN_API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST: '100000',
    }),
    spawnService('ranking', { ...env, PORT: '3392' }),
  ];
  const sql = new Client({ connectionString: db.adminUrl });
  await sql.connect();
  try {
    await Promise.all([ready(readyUrl(3390)), ready(readyUrl(3392))]);
    const tenant = await gatewayJson<{ id: string; apiKey: string }>('/v1/tenants', ADMIN_KEY, { name: 'bench' });
    for (let i = 0; i < 20; i++) {
      await gatewayJson('/v1/products', tenant.apiKey, {
        marketplace: 'naver',
        externalId: `bench-${i}`,
        name: `Bench product ${i}`,
        price: 10_000 + i,
        keywords: [`bench keyword ${i}`],
      });
    }
    await seed(sql, tenant.id, scenario);
    const baseline = await readLoad(tenant.apiKey, new Promise((done) => setTimeout(done, BASELINE_MS)));
    // The retention's first check at boot claims today's sweep and asks the ranking to purge.
    children.push(spawnService('retention', { ...env, PORT: '3395' }));
    const completed = eventually(
      async () => {
        const sweep = await gatewayJson<RetentionSweepView>('/v1/retention/sweeps/latest', tenant.apiKey);
        const kind = sweep.kinds.find((k) => k.dataKind === 'ranking_rows');
        if (kind?.status !== 'completed') {
          throw new Error('ranking rows not purged yet');
        }
        return sweep;
      },
      1_800_000,
      250,
    );
    const duringPurge = await readLoad(tenant.apiKey, completed);
    const sweep = await completed;
    const { rows } = await sql.query<{ deleted: string; batches: number; dropped: number; seconds: number }>(
      `select k.deleted, k.batches, k.partitions_dropped as dropped,
              extract(epoch from k.completed_at - s.started_at)::float8 as seconds
         from retention.sweep_kinds k join retention.sweeps s on s.id = k.sweep_id
        where s.id = $1 and k.data_kind = 'ranking_rows'`,
      [sweep.sweepId],
    );
    const report = rows[0];
    const { rows: left } = await sql.query<{ old: number; new: number }>(
      `select count(*) filter (where crawled_at < now() - interval '30 days')::int as old,
              count(*) filter (where crawled_at >= now() - interval '30 days')::int as new from ranking.ranking_rows`,
    );
    const seconds = report?.seconds ?? 0;
    const deleted = Number(report?.deleted ?? 0);
    return {
      scenario,
      deleted,
      batches: report?.batches ?? 0,
      partitionsDropped: report?.dropped ?? 0,
      purgeSeconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(deleted / Math.max(seconds, 0.001)),
      baseline,
      duringPurge,
      leftOld: left[0]?.old ?? -1,
      leftNew: left[0]?.new ?? -1,
    };
  } finally {
    await sql.end();
    for (const child of children) {
      child.kill('SIGTERM');
    }
    await new Promise((done) => setTimeout(done, 3_000));
    await db.drop();
  }
}

function reportOf(results: ScenarioResult[]): string {
  const machine = machineInfo();
  const row = (r: ScenarioResult): string =>
    `| ${r.scenario} | ${r.deleted} | ${r.batches} | ${r.partitionsDropped} | ${r.purgeSeconds} | ${r.rowsPerSecond} | ` +
    `${r.baseline.p50} / ${r.baseline.p99} (${r.baseline.requests}) | ${r.duringPurge.p50} / ${r.duringPurge.p99} (${r.duringPurge.requests}) | ` +
    `${r.leftOld} / ${r.leftNew} |`;
  return [
    '# Retention purge benchmark',
    '',
    `Measured ${new Date().toISOString()} by \`node dist/bench/retention.bench.js\` on ${machine.cpus} × ${machine.cpuModel},`,
    `${machine.memoryGiB} GiB, Node ${machine.node}; Postgres and NATS on the same machine, which other work shared.`,
    '',
    `Each scenario seeds ${ROWS} ranking rows older than the 30-day cut-off and ${ROWS} newer, then starts the`,
    'retention service, whose first check sweeps; gateway, ranking and retention run as processes.',
    `Reads: ${READERS} concurrent loops of \`GET /v1/products?limit=20\` through the gateway, for ${BASELINE_MS / 1000} s`,
    'without a purge (baseline), then for as long as the purge runs. Purge time is from the sweep start to the',
    "ranking's recorded completion (relay and delivery included); batches of 10,000 with a 100 ms pause (defaults).",
    '',
    '| scenario | rows purged | batches | partitions dropped | purge s | rows/s | baseline p50 / p99 ms (requests) | during purge p50 / p99 ms (requests) | left old / new |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const phase = benchPhases('retention');
  const results: ScenarioResult[] = [];
  for (const scenario of ['batched', 'partitioned'] as const) {
    phase(`scenario ${scenario}: ${ROWS} rows`);
    results.push(await runScenario(scenario));
    console.log(JSON.stringify(results.at(-1)));
  }
  writeFileSync(
    join(ROOT, 'bench', 'retention-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine: machineInfo(), rows: ROWS, results }, null, 2)}\n`,
  );
  writeFileSync(join(ROOT, 'bench', 'RETENTION-REPORT.md'), reportOf(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
