/**
 * Reporting read models at scale: ~10 M hourly rank rows (plus daily buckets, brand slots, crawls, alerts)
 * generated straight into the read-model tables, then the service as deployed (its own process) answering
 * over NATS: dashboard, brand share, 30-day rank history, a 1 M-row CSV export with its memory, the
 * projection's ingest rate through JetStream, and the query plans. Writes bench/reporting-results.json and
 * bench/REPORTING-REPORT.md; `--quick` (one tenant, still a 1 M-row export) writes them to the temp dir.
 * `--rows N` sizes the dataset in whole tenants of ~1 M rows; `--out <dir>` and `--no-capped-export` below.
 */
import { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPORTING_RPC, ReportingExportPage, STREAMS } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { migrateService, serviceRole, withCredentials } from '@shelfwatch/persistence';
import { TestNats, createTestDatabase, createTestNats, eventually } from '@shelfwatch/testing';
import { reportingPersistence } from '../services/reporting/src/reporting.persistence';
import { FULL_DATASET, QUICK_DATASET, generateDataset, md5Uuid } from '../services/reporting/bench/reporting-dataset';
import {
  ExportFigures,
  Latency,
  measure,
  memoryOf,
  recordedCrawls,
  sampleRss,
  spawnReporting,
} from '../services/reporting/bench/reporting-probes';
import {
  IngestFigures,
  ReportingBenchResults,
  explainAll,
  writeReport,
} from '../services/reporting/bench/reporting-report';
import { benchPhases, machineInfo } from './bench-report';
import { cpuMsPer, cpuSnapshot } from './process-cpu';

const QUICK = process.argv.includes('--quick');
/** The value after `--<name>`, if given. */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}
/** `--before <results.json>`: a previous run whose headline figures the report puts beside this one's. */
const BEFORE = option('before');
/** `--rows N`: about N hourly rows (whole tenants of ~1 M each) instead of the mode's size; samples stay the mode's. */
const ROWS = option('rows');
/** `--out <dir>`: where the report goes (default bench/, or the temp dir with `--quick`). */
const OUT = option('out');
/** `--no-capped-export`: skip the second export with the old space capped (it takes ~7 minutes). */
const CAPPED_EXPORT = !process.argv.includes('--no-capped-export');
const BASE_SIZE = QUICK ? QUICK_DATASET : FULL_DATASET;
const SIZE = ROWS === undefined ? BASE_SIZE : { ...BASE_SIZE, tenants: tenantsFor(Number(ROWS)) };
const SAMPLES = QUICK ? 100 : 300;
/** `--events N`: recorded crawls the ingest phase publishes (default 500 with `--quick`, else 3,000). */
const INGEST_EVENTS = Number(option('events') ?? (QUICK ? 500 : 3_000));
if (!Number.isInteger(INGEST_EVENTS) || INGEST_EVENTS <= 0) {
  throw new Error(`--events wants a positive whole number of events, got ${option('events')}`);
}
const ROOT = resolve(__dirname, '..', '..');

/** Whole tenants (each `products × 2 keywords × days × 24` hourly rows) nearest to `rows`, at least one. */
function tenantsFor(rows: number): number {
  const perTenant = BASE_SIZE.productsPerTenant * 2 * BASE_SIZE.days * 24;
  if (!Number.isFinite(rows) || rows <= 0) {
    throw new Error(`--rows wants a positive number of rows, got ${ROWS}`);
  }
  return Math.max(1, Math.round(rows / perTenant));
}
const PORT = '3904';
const DAY_MS = 86_400_000;

async function ready(): Promise<void> {
  await eventually(
    async () => {
      const response = await fetch(`http://127.0.0.1:${PORT}/health/ready`);
      if (response.status !== 200) {
        throw new Error(`ready answered ${response.status}`);
      }
    },
    60_000,
    200,
  );
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** A tenant, product and keyword of the generated dataset, varying with `i`. */
function pick(i: number): { tenantId: string; productId: string; keywordId: string } {
  const t = 1 + (i % SIZE.tenants);
  const j = 1 + ((i * 7) % SIZE.productsPerTenant);
  return {
    tenantId: md5Uuid(`t${t}`),
    productId: md5Uuid(`p${t}-${j}`),
    keywordId: md5Uuid(`k${t}-${j % SIZE.keywordsPerTenant}`),
  };
}

/** The run `--before` names, if any. */
function before(): ReportingBenchResults | undefined {
  if (!process.argv.includes('--before') || BEFORE === undefined) {
    return undefined;
  }
  return JSON.parse(readFileSync(BEFORE, 'utf8')) as ReportingBenchResults;
}

/**
 * Keywords the ingest's events are spread over: one tenant's 50 (a small seller), and ten times as many (what the
 * projection sees of many sellers), where batches of different keywords can be projected side by side.
 */
const INGEST_KEYWORDS = { few: 50, many: 500 } as const;

/**
 * Publishes `INGEST_EVENTS` recorded crawls of `keywords` keywords at once; the time until the projection
 * acknowledged them all.
 */
async function ingest(nats: TestNats, servicePid: number | undefined, keywords: number): Promise<IngestFigures> {
  const events = recordedCrawls(INGEST_EVENTS, keywords, 10);
  const cpu = (): Record<string, number> =>
    cpuSnapshot({ reporting: servicePid, bench: process.pid }, { postgres: 'postgres', nats: 'nats-server' });
  const cpuBefore = cpu();
  const started = performance.now();
  for (let i = 0; i < events.length; i += 64) {
    const slice = events.slice(i, i + 64);
    await Promise.all(
      slice.map((e) => nats.js.publish(nats.topology.subject(e.type), JSON.stringify(e), { msgID: e.id })),
    );
  }
  const publishSeconds = (performance.now() - started) / 1_000;
  await eventually(
    async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.RANKING), 'reporting-ranking');
      if (info.num_pending + info.num_ack_pending > 0) {
        throw new Error('not drained');
      }
    },
    600_000,
    100,
  );
  const seconds = (performance.now() - started) / 1_000;
  return {
    events: INGEST_EVENTS,
    keywords,
    seconds,
    publishSeconds,
    eventsPerSec: INGEST_EVENTS / seconds,
    standingRowsPerSec: (INGEST_EVENTS * 10) / seconds,
    shelfEntriesPerSec: (INGEST_EVENTS * 100) / seconds,
    cpuMsPerEvent: cpuMsPer(cpuBefore, cpu(), INGEST_EVENTS),
  };
}

/** Each query's payload for sample `i` (30 days ending at `to`). */
function queries(from: string, to: string): Record<string, [string, (i: number) => Record<string, unknown>]> {
  return {
    dashboard: [REPORTING_RPC.dashboard, (i) => ({ tenantId: pick(i).tenantId })],
    brands30d: [REPORTING_RPC.brands, (i) => ({ ...pick(i), from, to, topN: 10 })],
    rankHistory30dHour: [
      REPORTING_RPC.rankHistory,
      (i) => ({ ...pick(i), keywordId: undefined, from, to, bucket: 'hour' }),
    ],
    rankHistory30dDay: [
      REPORTING_RPC.rankHistory,
      (i) => ({ ...pick(i), keywordId: undefined, from, to, bucket: 'day' }),
    ],
    priceHistory30dHour: [REPORTING_RPC.priceHistory, (i) => ({ ...pick(i), from, to, bucket: 'hour' })],
  };
}

/** Latency of each named query; sample `i` asks for `key(i)` (a small key set keeps a cache warm). */
async function latencies(
  rpc: RpcClient,
  names: string[],
  range: { from: string; to: string },
  warmup: number,
  key: (i: number) => number = (i) => i,
): Promise<Record<string, Latency>> {
  const result: Record<string, Latency> = {};
  for (const name of names) {
    const [subject, payload] = queries(range.from, range.to)[name] ?? [];
    if (subject && payload) {
      result[name] = await measure(SAMPLES, warmup, (i) => rpc.request(subject, payload(key(i))));
    }
  }
  return result;
}

/**
 * The old space the image's entrypoint gives reporting in Kubernetes (deploy/docker-entrypoint.sh: 60 % of the
 * container's memory limit, read here from k8s/base/reporting.yaml's service container, the file's last limit).
 */
function deployedHeapMiB(): number {
  const limits = [
    ...readFileSync(join(ROOT, 'k8s/base/reporting.yaml'), 'utf8').matchAll(/limits:\s+memory:\s+(\d+)Mi/g),
  ];
  const limitMiB = Number(limits.at(-1)?.[1]);
  if (!Number.isInteger(limitMiB)) {
    throw new Error('no memory limit of the reporting container in k8s/base/reporting.yaml');
  }
  return Math.floor((limitMiB * 60) / 100);
}

/** One tenant's hourly buckets exported chunk by chunk into a file, as the gateway pipes them, by a fresh service. */
async function exportOnce(rpc: RpcClient, env: Record<string, string>, nodeArgs: string[], to: string) {
  const child = spawnReporting(ROOT, env, nodeArgs);
  await ready();
  const pid = child.pid ?? 0;
  const before = memoryOf(pid);
  const stopService = sampleRss(pid);
  const stopOwn = sampleRss(process.pid);
  const file = join(tmpdir(), `reporting-export-${process.pid}.csv`);
  const out = createWriteStream(file);
  const from = new Date(Date.parse(to) - 40 * DAY_MS).toISOString();
  let cursor: string | undefined;
  let rows = 0;
  let chunks = 0;
  const started = performance.now();
  do {
    const payload = { tenantId: pick(0).tenantId, from, to, cursor };
    const page: ReportingExportPage = await rpc.request(REPORTING_RPC.exportPage, payload, 30_000);
    rows += page.rows;
    chunks += 1;
    if (!out.write(page.csv)) {
      await once(out, 'drain');
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  out.end();
  await once(out, 'finish');
  const seconds = (performance.now() - started) / 1_000;
  const service = stopService();
  const own = stopOwn();
  const figures: ExportFigures = {
    nodeArgs: nodeArgs.join(' ') || 'none',
    rows,
    chunks,
    seconds,
    rowsPerSec: rows / seconds,
    serviceRssBeforeMiB: before.rssMiB,
    serviceRssMaxMiB: service.maxMiB,
    servicePeakAfterMiB: memoryOf(pid).peakMiB,
    gatewaySideRssBeforeMiB: own.samples[0] ?? 0,
    gatewaySideRssMaxMiB: own.maxMiB,
  };
  rmSync(file);
  await stop(child);
  console.log('export', figures);
  return figures;
}

async function main(): Promise<void> {
  const announce = benchPhases('reporting');
  const load: Record<string, number[]> = {};
  const phase = (name: string): void => {
    load[name] = loadavg();
    announce(name);
  };
  const db = await createTestDatabase();
  const nats = await createTestNats();
  const role = serviceRole('reporting');
  const serviceUrl = withCredentials(db.adminUrl, role, role);
  await migrateService(reportingPersistence, serviceUrl, { url: db.adminUrl, rolePassword: role });
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const from = new Date(end.getTime() - 30 * DAY_MS).toISOString();
  const to = end.toISOString();
  const env = { NODE_ENV: 'development', DATABASE_URL: db.adminUrl, SHELFWATCH_NAMESPACE: nats.namespace, PORT };
  const uncached = { ...env, LOG_LEVEL: 'warn', REPORTING_CACHE_TTL_MS: '0' };
  const rpc = new RpcClient(nats.nc, nats.topology);
  try {
    // 1. The dataset, straight into the tables.
    phase('1/5 dataset, straight into the tables');
    const started = performance.now();
    const rows = await generateDataset(db.adminUrl, SIZE, end, (line) => console.log(line));
    const generationSeconds = (performance.now() - started) / 1_000;
    console.log(`dataset in ${generationSeconds.toFixed(0)} s:`, rows);

    phase('2/5 ingest and queries, every answer computed');
    // 2. Ingest and queries against one service, every answer computed (cache TTL 0).
    let child = spawnReporting(ROOT, uncached);
    await ready();
    const rssAfterBootMiB = memoryOf(child.pid ?? 0).rssMiB;
    const ingested = await ingest(nats, child.pid, INGEST_KEYWORDS.few);
    console.log('ingest', ingested);
    const ingestedMany = await ingest(nats, child.pid, INGEST_KEYWORDS.many);
    console.log(`ingest over ${INGEST_KEYWORDS.many} keywords`, ingestedMany);
    const names = Object.keys(queries(from, to));
    const latency = await latencies(rpc, names, { from, to }, 20);
    console.log('latency', latency);
    await stop(child);

    phase('3/5 the 1 M-row export, plain, with the heap the image gives it, and capped low');
    // 3. The 1 M-row export, each time in a fresh service: as it comes, with the old space the image's entrypoint
    // gives reporting in its Kubernetes container, and with the V8 heap capped low.
    const exports = [await exportOnce(rpc, uncached, [], to)];
    if (CAPPED_EXPORT) {
      exports.push(await exportOnce(rpc, uncached, [`--max-old-space-size=${deployedHeapMiB()}`], to));
      exports.push(await exportOnce(rpc, uncached, ['--max-old-space-size=96'], to));
    }

    phase('4/5 dashboard and brand share from a warm cache');
    // 4. Dashboard and brand share from a warm cache (default TTL): the same keys asked again and again.
    child = spawnReporting(ROOT, { ...env, LOG_LEVEL: 'warn' });
    await ready();
    const cached = await latencies(rpc, ['dashboard', 'brands30d'], { from, to }, 20, (i) => i % 20);
    const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
    const hitRatio = /shelfwatch_reporting_cache_hit_ratio\{cache="dashboard"\} ([\d.]+)/.exec(metrics)?.[1] ?? 'n/a';
    await stop(child);

    phase('5/5 plans of every report query');
    // 5. Plans of every report query on the dataset.
    const plans = await explainAll(db.adminUrl, { ...pick(0), from, to });
    const outDir =
      OUT !== undefined ? resolve(OUT) : QUICK ? join(tmpdir(), 'reporting-bench-quick') : join(ROOT, 'bench');
    mkdirSync(outDir, { recursive: true });
    writeReport(
      outDir,
      {
        date: new Date().toISOString(),
        mode: QUICK ? 'quick' : 'full',
        machine: machineInfo(),
        dataset: { size: SIZE, rows, generationSeconds },
        ingest: ingested,
        ingestManyKeywords: ingestedMany,
        latency,
        cached: { latency: cached, dashboardHitRatio: hitRatio },
        rssAfterBootMiB,
        exports,
        plans,
        load: { ...load, end: loadavg() },
      },
      before(),
    );
    console.log(`report written to ${outDir}`);
  } finally {
    await nats.cleanup();
    await db.drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
