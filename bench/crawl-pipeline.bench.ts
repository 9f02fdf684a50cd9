/**
 * Keyword crawls end to end: simulator → crawler → JetStream → ranking → ranking rows, each service in
 * its own process as deployed, next to a raw Postgres multi-row insert of the same rows in the same run.
 * Writes bench/crawl-results.json and bench/CRAWL-REPORT.md. `BENCH_KEYWORDS` and `BENCH_RUNS` size it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { RpcClient, Topology } from '@shelfwatch/messaging';
import { createTestDatabase, eventually, testNamespace } from '@shelfwatch/testing';
import { Client } from 'pg';
import { loadCliConfig } from '../tools/cli/cli.config';
import { figureRow, figures, machineInfo } from './bench-report';
import { migrateAll } from '../tools/cli/migrate';
import { provisionAll } from '../tools/cli/provision';

const KEYWORDS = Number(process.env.BENCH_KEYWORDS ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const ITEMS = 100;
const ROOT = resolve(__dirname, '..', '..');

function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  const args = script.includes('services/')
    ? ['--require', './dist/libs/observability/src/preload.js', script]
    : [script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function ready(url: string): Promise<void> {
  await eventually(
    async () => {
      const response = await fetch(url);
      if (response.status !== 200) {
        throw new Error(`${url} answered ${response.status}`);
      }
    },
    60_000,
    200,
  );
}

/** Runs `work` over `items` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
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

async function countRows(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>('select count(*) from ranking.ranking_rows');
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/** The machine's own limit: the same rows through multi-row INSERTs of 1,000, one connection. */
async function rawInsert(url: string, rows: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create temp table bench_rows (tenant_id uuid, keyword_id uuid, crawl_id uuid, crawled_at timestamptz,
      rank int, external_id text, product_id uuid, title text, mall text, price numeric, brand text, excluded boolean)`);
    const started = performance.now();
    for (let done = 0; done < rows; done += 1_000) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = 0; i < 1_000; i++) {
        const base = i * 8;
        tuples.push(
          `($${base + 1}, $${base + 2}, $${base + 3}, now(), $${base + 4}, $${base + 5}, null, $${base + 6}, $${base + 7}, $${base + 8}, 'brand', false)`,
        );
        values.push(
          randomUUID(),
          randomUUID(),
          randomUUID(),
          (i % 100) + 1,
          `ext-${done + i}`,
          `a product title ${i}`,
          `mall-${i % 50}`,
          10_000 + i,
        );
      }
      await client.query(`insert into bench_rows values ${tuples.join(', ')}`, values);
    }
    return rows / ((performance.now() - started) / 1_000);
  } finally {
    await client.end();
  }
}

async function crawlRun(): Promise<{ rowsPerSec: number; raw: number; seconds: number }> {
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
  await migrateAll(config, () => undefined);
  await provisionAll(config, () => undefined);
  const sim = spawnNode('dist/tools/marketplace-sim/src/main.js', { SIM_PORT: '3190', SIM_HOST: '127.0.0.1' });
  const crawler = spawnNode('dist/services/crawler/src/main.js', {
    ...env,
    PORT: '3191',
    NAVER_API_BASE_URL: 'http://127.0.0.1:3190',
    NAVER_CLIENT_ID: 'bench',
    NAVER_CLIENT_SECRET: 'bench',
    NAVER_RATE_PER_SECOND: '1000',
    NAVER_MAX_CONCURRENCY: '16',
    CRAWL_WORKERS: '16',
    CRAWL_MAX_PAGES: '1',
    CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
  });
  const ranking = spawnNode('dist/services/ranking/src/main.js', { ...env, PORT: '3192' });
  const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  try {
    await Promise.all([ready('http://127.0.0.1:3191/health/ready'), ready('http://127.0.0.1:3192/health/ready')]);
    const rpc = new RpcClient(nc, new Topology(namespace));
    const tenantId = randomUUID();
    const keywordIds: string[] = [];
    // A product that is never on the shelf: no early stop, every crawl reads its full page of 100.
    await pool(
      Array.from({ length: KEYWORDS }, (_, i) => i),
      16,
      async (i) => {
        const created = await rpc.request<{ keywords: { keywordId: string }[] }>('ranking.product.create', {
          tenantId,
          marketplace: 'naver',
          externalId: `absent-${i}`,
          name: `product ${i}`,
          price: 10_000,
          keywords: [`bench keyword ${i}`],
        });
        keywordIds.push(...created.keywords.map((k) => k.keywordId));
      },
    );
    const started = performance.now();
    await pool(keywordIds, 32, async (keywordId) => {
      await eventually(() => rpc.request('crawler.crawl.request', { tenantId, keywordId }), 60_000, 100);
    });
    const ranking_url = db.adminUrl;
    await eventually(
      async () => {
        const count = await countRows(ranking_url);
        if (count < KEYWORDS * ITEMS) {
          throw new Error(`${count} rows`);
        }
      },
      1_800_000,
      250,
    );
    const seconds = (performance.now() - started) / 1_000;
    const raw = await rawInsert(db.adminUrl, KEYWORDS * ITEMS);
    return { rowsPerSec: (KEYWORDS * ITEMS) / seconds, raw, seconds };
  } finally {
    await nc.close();
    for (const child of [crawler, ranking, sim]) {
      child.kill('SIGTERM');
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await db.drop();
  }
}

async function main(): Promise<void> {
  const runs: { rowsPerSec: number; raw: number; seconds: number }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    runs.push(await crawlRun());
    const last = runs[runs.length - 1];
    console.log(
      `run ${run}/${RUNS}: ${last?.rowsPerSec.toFixed(0)} ranking rows/s end to end, raw insert ${last?.raw.toFixed(0)} rows/s`,
    );
  }
  const machine = machineInfo();
  const endToEnd = figures(runs.map((r) => r.rowsPerSec));
  const raw = figures(runs.map((r) => r.raw));
  const results = {
    date: new Date().toISOString(),
    machine,
    keywords: KEYWORDS,
    itemsPerCrawl: ITEMS,
    endToEnd,
    rawMultiRowInsert: raw,
    ratioMedian: endToEnd.median / raw.median,
  };
  writeFileSync(join('bench', 'crawl-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    join('bench', 'CRAWL-REPORT.md'),
    [
      '# Crawl pipeline benchmark',
      '',
      `Run ${results.date} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}; ` +
        `${KEYWORDS} keyword crawls × ${ITEMS} items against the simulator (no added latency), ${RUNS} run(s). ` +
        'Simulator, crawler and ranking each run in their own process; Postgres and NATS are the local servers.',
      '',
      '| figure (rows per second) | min | median | max |',
      '|---|---|---|---|',
      figureRow('ranking rows stored end to end (crawl requested → row committed)', endToEnd),
      figureRow('raw Postgres multi-row INSERT (1,000 rows per statement, one connection)', raw),
      '',
      `Median ratio: **${results.ratioMedian.toFixed(2)}**. Aim: at least 15,000 rows/s end to end.`,
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify(results, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
