/** Types and Markdown of the crawl pipeline bench (bench/CRAWL-REPORT.md). */
import { Figures, figureRow } from './bench-report';

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LatencyFigures {
  p50: Figures;
  p95: Figures;
  p99: Figures;
}

export interface CrawlRun {
  rowsPerSec: number;
  seconds: number;
  /** CPU milliseconds per crawl of the throughput phase, by process (Postgres and NATS: all of their processes). */
  cpuMsPerCrawl?: Record<string, number>;
  insert: number;
  copy: number;
  underLoad: Latency;
  /** The same crawls from their `crawl.completed` to their alert: how stale an alert is when it arrives. */
  underLoadFromCompleted?: Latency;
  paced: Latency;
  alertsExpected: number;
  alertsSeen: number;
  /** Crawls whose alert never arrived, by crawl status, and how many of their alerts were stored. */
  missing?: Record<string, number>;
}

export interface CrawlResults {
  date: string;
  mode: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  loadAverage: { before: number[]; after: number[] };
  runs: number;
  keywords: number;
  itemsPerCrawl: number;
  alertEvery: number;
  pacedCrawls: number;
  pacedPerSec: number;
  endToEnd: Figures;
  rawMultiRowInsert: Figures;
  rawCopy: Figures;
  ratioMedian: number;
  ratioToCopyMedian: number;
  crawlToAlertUnderLoadMs: LatencyFigures;
  completedToAlertUnderLoadMs?: LatencyFigures;
  crawlToAlertPacedMs: LatencyFigures;
  /** Median across runs of the CPU milliseconds per crawl, by process. */
  cpuMsPerCrawl?: Record<string, number>;
  /** The crawler's CRAWL_BACKPRESSURE_MAX_PENDING in this run (0: back-pressure off). */
  backpressureMaxPending?: number;
  alerts: { expected: number; seen: number };
  perRun: CrawlRun[];
}

export function crawlReport(r: CrawlResults): string {
  const m = r.machine;
  const single = r.runs === 1 ? ' **One run only: min = median = max.**' : '';
  return [
    '# Crawl pipeline benchmark',
    '',
    `Run ${r.date} (${r.mode} mode) on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; ` +
      `${r.keywords} keyword crawls × ${r.itemsPerCrawl} items against the simulator (no added latency), ` +
      `${r.runs} run(s).${single} Simulator, crawler, ranking, alerting and reporting each run in their own ` +
      'process (built `dist/`); Postgres and NATS are the local servers. ' +
      `Load average (1/5/15 min) before ${r.loadAverage.before.join(' / ')}, after ${r.loadAverage.after.join(' / ')}: ` +
      'the 2 cores were shared with other engineers’ test suites.',
    '',
    '| figure (rows per second) | min | median | max |',
    '|---|---|---|---|',
    figureRow('ranking rows stored end to end (crawls requested → rows committed)', r.endToEnd),
    figureRow('raw Postgres multi-row INSERT (1,000 rows per statement, one connection)', r.rawMultiRowInsert),
    figureRow('raw Postgres COPY FROM STDIN (one statement, one connection)', r.rawCopy),
    '',
    `Median ratio end to end / INSERT: **${r.ratioMedian.toFixed(2)}**, / COPY: **${r.ratioToCopyMedian.toFixed(2)}**. ` +
      'Aim (issue 3): at least 15,000 rows/s end to end — ' +
      `${r.endToEnd.median >= 15_000 ? 'met' : 'not met'}. The raw rows go into a logged table without indexes; ` +
      '`ranking_rows` has its indexes and partitions, and the pipeline also writes outbox, inbox and the other services’ rows.',
    '',
    '| crawl → `alert.raised` (ms) | p50 min / median / max | p95 min / median / max | p99 min / median / max |',
    '|---|---|---|---|',
    latencyRow(
      `under load (every ${r.alertEvery}th crawl of the throughput phase; includes queueing)`,
      r.crawlToAlertUnderLoadMs,
    ),
    ...(r.completedToAlertUnderLoadMs
      ? [
          latencyRow(
            'under load, from the crawl’s `crawl.completed` (how old the shelf is when its alert arrives)',
            r.completedToAlertUnderLoadMs,
          ),
        ]
      : []),
    latencyRow(`paced, ${r.pacedCrawls} crawls at ${r.pacedPerSec}/s on the idle pipeline`, r.crawlToAlertPacedMs),
    '',
    ...(r.backpressureMaxPending === undefined
      ? []
      : [
          `Crawler back-pressure (\`CRAWL_BACKPRESSURE_MAX_PENDING\`): ${r.backpressureMaxPending === 0 ? 'off' : r.backpressureMaxPending}. ` +
            'With it on, crawls wait in Postgres while ranking or alerting are behind, so the alert of a crawl follows ' +
            'its `crawl.completed` closely; the time from the request includes that wait either way.',
          '',
        ]),
    ...(r.cpuMsPerCrawl === undefined
      ? []
      : [
          '| CPU per crawl of the throughput phase (ms, median of the runs) | ' +
            Object.keys(r.cpuMsPerCrawl).join(' | ') +
            ' |',
          `|---|${Object.keys(r.cpuMsPerCrawl)
            .map(() => '---|')
            .join('')}`,
          `| user + system time from /proc, per crawl of ${r.itemsPerCrawl} rows | ` +
            Object.values(r.cpuMsPerCrawl)
              .map((ms) => ms.toFixed(1))
              .join(' | ') +
            ' |',
          '',
          'Postgres and NATS count all of their processes on the machine; a Postgres backend that exited during ' +
            'the phase takes its time with it. This figure changes much less with other load than rows/s does.',
          '',
        ]),
    `Alerts seen: ${r.alerts.seen} of ${r.alerts.expected} expected (one \`product_missing\` per alerting crawl). ` +
      'Latency is from sending `crawler.crawl.request` to the `alert.raised` event of that crawl arriving on a core ' +
      'NATS subscription, both on the bench process clock: request, crawl, relay, ranking, relay, alerting, relay.',
    ...r.perRun.flatMap((run, i) =>
      run.missing === undefined
        ? []
        : [`Run ${i + 1}: alerts not seen within the wait, by crawl status: \`${JSON.stringify(run.missing)}\`.`],
    ),
    '',
  ].join('\n');
}

function latencyRow(name: string, f: LatencyFigures): string {
  const cell = (x: Figures): string => `${x.min.toFixed(0)} / ${x.median.toFixed(0)} / ${x.max.toFixed(0)}`;
  return `| ${name} | ${cell(f.p50)} | ${cell(f.p95)} | ${cell(f.p99)} |`;
}
