/**
 * Keyword crawls end to end: simulator → crawler → JetStream → ranking → alerting and reporting, each
 * service in its own process (from dist) as deployed, next to raw Postgres multi-row INSERT and COPY of the
 * same number of rows in the same run. Two figures per run:
 * - ranking rows per second, crawl requested → rows committed, all crawls requested at once;
 * - crawl-to-alert latency (crawl request sent → `alert.raised` of that crawl seen on core NATS), for every
 *   tenth keyword during that load and for crawls paced at 10/s on the otherwise idle pipeline afterwards.
 *   Alerts come from a tenant on the default rules whose product is never on the shelf (`product_missing`
 *   fires on the first crawl); the other tenant has every rule switched off.
 * Writes crawl-results.json and CRAWL-REPORT.md (quick mode: to the quick results directory).
 * `BENCH_KEYWORDS`, `BENCH_RUNS`, `BENCH_PACED_CRAWLS` size it; `BENCH_QUICK=1` or `--quick`.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { AlertRuleSettings } from '@shelfwatch/contracts';
import { RpcClient, Topology, deleteStreams } from '@shelfwatch/messaging';
import { eventually, freePorts, pause } from '@shelfwatch/testing';
import { benchPhases, figures, loadAverage, machineInfo, medianByName, quickMode, resultsDir } from './bench-report';
import { benchPlatform, countRankingRows, holdScheduler, pool, ready, spawnNode, stopAll } from './bench-processes';
import { AlertClock, diagnose, requestCrawl } from './crawl-alerts';
import { CrawlRun, Latency, LatencyFigures, crawlReport } from './crawl-report';
import { rawCopy, rawInsert } from './pg-limits';
import { cpuMsPer, cpuSnapshot } from './process-cpu';
import { serverVersions } from './versions';

const QUICK = quickMode();
const KEYWORDS = Number(process.env.BENCH_KEYWORDS ?? (QUICK ? 200 : 2_000));
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const PACED = Number(process.env.BENCH_PACED_CRAWLS ?? (QUICK ? 20 : 150));
const ALERT_WAIT_MS = QUICK ? 30_000 : 120_000;
const PACED_PER_SEC = 10;
const ALERT_EVERY = 10;
const ITEMS = 100;
/** The crawler's back-pressure threshold (`BENCH_BACKPRESSURE_MAX_PENDING`, 0 = off; default: the service's). */
const BACKPRESSURE_MAX_PENDING = Number(process.env.BENCH_BACKPRESSURE_MAX_PENDING ?? 1_000);
/** Keywords (one product each) per quiet tenant, under the default plan's 1,000 products. */
const QUIET_PER_TENANT = 900;
const QUIET_RULES: AlertRuleSettings = {
  priceUndercut: { enabled: false, minPercent: 1, minAmount: null },
  rankDrop: { enabled: false, minPlaces: 5, topK: 10 },
  productMissing: { enabled: false },
  newCompetitor: { enabled: false, topN: 10 },
  cooldownMinutes: 60,
};

/** Products never on the shelf (no early stop: every crawl reads its full page of 100), one keyword each. */
async function createKeywords(rpc: RpcClient, tenantOf: (i: number) => string, count: number): Promise<string[]> {
  const keywordIds = new Array<string>(count);
  await pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const created = await rpc.request<{ keywords: { keywordId: string }[] }>('ranking.product.create', {
        tenantId: tenantOf(i),
        marketplace: 'naver',
        externalId: `absent-${i}`,
        name: `product ${i}`,
        price: 10_000,
        keywords: [`bench keyword ${i}`],
      });
      keywordIds[i] = created.keywords[0]?.keywordId ?? '';
    },
  );
  return keywordIds;
}

async function crawlRun(): Promise<CrawlRun> {
  const { db, namespace, env } = await benchPlatform();
  const [sim, crawler, ranking, alerting, reporting] = await freePorts(5);
  const children = [
    spawnNode('dist/tools/marketplace-sim/src/main.js', { SIM_PORT: String(sim), SIM_HOST: '127.0.0.1' }),
    spawnNode('dist/services/crawler/src/main.js', {
      ...env,
      PORT: String(crawler),
      NAVER_API_BASE_URL: `http://127.0.0.1:${sim}`,
      NAVER_CLIENT_ID: 'bench',
      NAVER_CLIENT_SECRET: 'bench',
      NAVER_RATE_PER_SECOND: '1000',
      NAVER_MAX_CONCURRENCY: '16',
      // The full run sends more than a day of Naver's quota (25,000): the quota is not what is measured here.
      NAVER_DAILY_QUOTA: '100000000',
      CRAWL_WORKERS: '16',
      CRAWL_MAX_PAGES: '1',
      CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
      CRAWL_BACKPRESSURE_MAX_PENDING: String(BACKPRESSURE_MAX_PENDING),
    }),
    spawnNode('dist/services/ranking/src/main.js', { ...env, PORT: String(ranking) }),
    spawnNode('dist/services/alerting/src/main.js', { ...env, PORT: String(alerting) }),
    spawnNode('dist/services/reporting/src/main.js', { ...env, PORT: String(reporting) }),
  ];
  const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  try {
    await Promise.all(
      [crawler, ranking, alerting, reporting].map((port) => ready(`http://127.0.0.1:${port}/health/ready`)),
    );
    const topology = new Topology(namespace);
    const rpc = new RpcClient(nc, topology);
    const clock = new AlertClock();
    clock.listen(nc, topology);
    // A tenant holds at most 1,000 products (its plan): the quiet keywords are spread over as many tenants as that takes.
    const quiet = Array.from({ length: Math.ceil(KEYWORDS / QUIET_PER_TENANT) }, () => randomUUID());
    const loud = randomUUID();
    for (const tenantId of quiet) {
      await rpc.request('alerting.rules.put', { tenantId, defaults: QUIET_RULES, overrides: [] });
    }
    const tenantOf = (i: number): string =>
      i >= KEYWORDS || i % ALERT_EVERY === 0 ? loud : (quiet[Math.floor(i / QUIET_PER_TENANT)] ?? loud);
    const keywordIds = await createKeywords(rpc, tenantOf, KEYWORDS + PACED);
    await holdScheduler(db.adminUrl, KEYWORDS + PACED);

    // Throughput: every crawl requested at once (32 requests in flight), rows counted until all are stored.
    const cpu = () =>
      cpuSnapshot(
        {
          simulator: children[0]?.pid,
          crawler: children[1]?.pid,
          ranking: children[2]?.pid,
          alerting: children[3]?.pid,
          reporting: children[4]?.pid,
        },
        { postgres: 'postgres', nats: 'nats-server' },
      );
    const cpuBefore = cpu();
    const loadCrawls: string[] = [];
    const started = performance.now();
    await pool(
      keywordIds.slice(0, KEYWORDS).map((keywordId, i) => ({ keywordId, i })),
      32,
      async ({ keywordId, i }) => {
        const crawlId = await requestCrawl(rpc, tenantOf(i), keywordId, clock);
        if (tenantOf(i) === loud) {
          loadCrawls.push(crawlId);
        }
      },
    );
    await eventually(
      async () => {
        const count = await countRankingRows(db.adminUrl);
        if (count < KEYWORDS * ITEMS) {
          throw new Error(`${count} rows`);
        }
      },
      1_800_000,
      250,
    );
    const seconds = (performance.now() - started) / 1_000;
    const cpuMsPerCrawl = cpuMsPer(cpuBefore, cpu(), KEYWORDS);
    await clock.awaitAll(loadCrawls, ALERT_WAIT_MS);

    // Latency on an idle pipeline: crawls paced at PACED_PER_SEC.
    const pacedCrawls: Promise<string>[] = [];
    const pacedStart = performance.now();
    for (let i = 0; i < PACED; i++) {
      await pause(Math.max(0, pacedStart + (i * 1_000) / PACED_PER_SEC - performance.now()));
      pacedCrawls.push(requestCrawl(rpc, loud, keywordIds[KEYWORDS + i] ?? '', clock));
    }
    const paced = await Promise.all(pacedCrawls);
    await clock.awaitAll(paced, ALERT_WAIT_MS);
    await stopAll(children);
    const rows = KEYWORDS * ITEMS;
    const missing = [...loadCrawls, ...paced].filter((id) => !clock.arrived.has(id));
    return {
      rowsPerSec: rows / seconds,
      seconds,
      cpuMsPerCrawl,
      insert: await rawInsert(db.adminUrl, rows),
      copy: await rawCopy(db.adminUrl, rows),
      underLoad: clock.latency(loadCrawls),
      underLoadFromCompleted: clock.latency(loadCrawls, 'completed'),
      paced: clock.latency(paced),
      alertsExpected: loadCrawls.length + paced.length,
      alertsSeen: loadCrawls.length + paced.length - missing.length,
      missing: missing.length === 0 ? undefined : await diagnose(db.adminUrl, missing),
    };
  } finally {
    await stopAll(children);
    await deleteStreams(await jetstreamManager(nc), new Topology(namespace));
    await nc.close();
    await db.drop();
  }
}

/** The median of each name's figure across runs. */
const latencyFigures = (runs: Latency[]): LatencyFigures => ({
  p50: figures(runs.map((r) => r.p50)),
  p95: figures(runs.map((r) => r.p95)),
  p99: figures(runs.map((r) => r.p99)),
});

async function main(): Promise<void> {
  const phase = benchPhases('crawl-pipeline');
  const loadBefore = loadAverage();
  const runs: CrawlRun[] = [];
  for (let run = 1; run <= RUNS; run++) {
    phase(`run ${run}/${RUNS}: ${KEYWORDS} keywords × ${ITEMS} items, then ${PACED} paced crawls`);
    const last = await crawlRun();
    runs.push(last);
    console.log(
      `run ${run}/${RUNS}: ${last.rowsPerSec.toFixed(0)} rows/s end to end, insert ${last.insert.toFixed(0)}, ` +
        `COPY ${last.copy.toFixed(0)}; alert p50/p99 under load ${last.underLoad.p50.toFixed(0)}/${last.underLoad.p99.toFixed(0)} ms ` +
        `(from crawl.completed ${last.underLoadFromCompleted?.p50.toFixed(0)}/${last.underLoadFromCompleted?.p99.toFixed(0)} ms), ` +
        `paced ${last.paced.p50.toFixed(0)}/${last.paced.p99.toFixed(0)} ms; alerts ${last.alertsSeen}/${last.alertsExpected}; ` +
        `CPU ms per crawl ${Object.entries(last.cpuMsPerCrawl ?? {})
          .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
          .join(', ')}`,
    );
  }
  const endToEnd = figures(runs.map((r) => r.rowsPerSec));
  const insert = figures(runs.map((r) => r.insert));
  const copy = figures(runs.map((r) => r.copy));
  const results = {
    date: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    machine: machineInfo(),
    versions: await serverVersions(),
    loadAverage: { before: loadBefore, after: loadAverage() },
    runs: RUNS,
    keywords: KEYWORDS,
    itemsPerCrawl: ITEMS,
    alertEvery: ALERT_EVERY,
    pacedCrawls: PACED,
    pacedPerSec: PACED_PER_SEC,
    endToEnd,
    rawMultiRowInsert: insert,
    rawCopy: copy,
    ratioMedian: endToEnd.median / insert.median,
    ratioToCopyMedian: endToEnd.median / copy.median,
    crawlToAlertUnderLoadMs: latencyFigures(runs.map((r) => r.underLoad)),
    completedToAlertUnderLoadMs: latencyFigures(runs.flatMap((r) => r.underLoadFromCompleted ?? [])),
    crawlToAlertPacedMs: latencyFigures(runs.map((r) => r.paced)),
    cpuMsPerCrawl: medianByName(runs.map((r) => r.cpuMsPerCrawl ?? {})),
    backpressureMaxPending: BACKPRESSURE_MAX_PENDING,
    alerts: {
      expected: runs.reduce((sum, r) => sum + r.alertsExpected, 0),
      seen: runs.reduce((sum, r) => sum + r.alertsSeen, 0),
    },
    perRun: runs,
  };
  writeFileSync(join(resultsDir(), 'crawl-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir(), 'CRAWL-REPORT.md'), crawlReport(results));
  console.log(JSON.stringify({ ...results, perRun: undefined }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
