/** The aims of the other issues, judged from the benches' results: met, not met, or not measured. */
import { Json, Source, fmt, list, num, str } from './summary-read';

export interface Aim {
  issue: number;
  area: string;
  aim: string;
  figure: string;
  status: 'met' | 'not met' | 'not measured' | 'no numeric aim';
}

const verdict = (ok: boolean): Aim['status'] => (ok ? 'met' : 'not met');

function outboxAim(outbox: Json): Aim {
  const base = { issue: 2, area: 'outbox', aim: 'outbox → JetStream → inbox at least half of raw JetStream publish' };
  const ratio = num(outbox, 'ratioMedian');
  if (ratio === undefined) {
    return { ...base, figure: 'n/a', status: 'not measured' };
  }
  const figure =
    `median ${fmt(num(outbox, 'outboxToInboxPerSec', 'median'))} ev/s vs raw ` +
    `${fmt(num(outbox, 'rawJetStreamPublishPerSec', 'median'))} msg/s = ${fmt(ratio, 2)}`;
  return { ...base, figure, status: verdict(ratio >= 0.5) };
}

function crawlAim(crawl: Json): Aim {
  const base = { issue: 3, area: 'crawl pipeline', aim: 'at least 15,000 ranking rows/s end to end' };
  const median = num(crawl, 'endToEnd', 'median');
  if (median === undefined) {
    return { ...base, figure: 'n/a', status: 'not measured' };
  }
  return { ...base, figure: `median ${fmt(median)} rows/s`, status: verdict(median >= 15_000) };
}

function gatewayAim(gateway: Json): Aim {
  const base = { issue: 5, area: 'gateway', aim: 'p99 under 50 ms at 2,000 requests/s (1 M ranking rows)' };
  const atRate = list(gateway, 'runs').filter((run) => num(run, 'rate') === 2_000);
  if (atRate.length === 0) {
    return { ...base, figure: 'n/a', status: 'not measured' };
  }
  const parts = atRate.map(
    (run) =>
      `${str(run, 'name') ?? str(run, 'path') ?? '?'}: p99 ${fmt(num(run, 'latencyMs', 'p99'), 1)} ms at ${fmt(num(run, 'requestsPerSec'))} req/s`,
  );
  const ok = atRate.every(
    (run) => (num(run, 'latencyMs', 'p99') ?? Infinity) < 50 && (num(run, 'requestsPerSec') ?? 0) >= 1_900,
  );
  return { ...base, figure: parts.join('; '), status: verdict(ok) };
}

function reportingAims(reporting: Json): Aim[] {
  const rows = num(reporting, 'dataset', 'rows', 'rank_hourly');
  const scale = rows === undefined ? '' : ` (${fmt(rows / 1e6, 1)} M hourly rows)`;
  const atScale = rows !== undefined && rows >= 9_500_000;
  const p95 = (query: string): number | undefined => num(reporting, 'latency', query, 'p95');
  const cached = (query: string): number | undefined => num(reporting, 'cached', 'latency', query, 'p95');
  const queryAim = (query: string, label: string): Aim => {
    const base = { issue: 6, area: 'reporting', aim: `${label} p95 under 20 ms at 10 M rows${scale}` };
    const value = p95(query);
    if (value === undefined) {
      return { ...base, figure: 'n/a', status: 'not measured' };
    }
    return {
      ...base,
      figure:
        `computed p95 ${fmt(value, 1)} ms; from the warm cache ${fmt(cached(query), 1)} ms` +
        (atScale ? '' : ' (smaller dataset than the aim names: not judged)'),
      status: atScale ? verdict(value < 20) : 'not measured',
    };
  };
  const exportBase = { issue: 6, area: 'reporting', aim: 'CSV export of 1 M rows: memory flat, under 200 MB' };
  const runs = exportRuns(reporting);
  const plain = runs.find((run) => run.nodeArgs === 'none');
  const exportAim: Aim =
    plain === undefined
      ? { ...exportBase, figure: 'n/a', status: 'not measured' }
      : {
          ...exportBase,
          figure: runs
            .map(
              (run) =>
                `node args ${run.nodeArgs}: RSS ${fmt(run.before)} MiB before, at most ${fmt(run.max)} MiB during`,
            )
            .join('; '),
          status: verdict(plain.max < 200),
        };
  return [queryAim('dashboard', 'dashboard'), queryAim('brands30d', 'brand share (30 days)'), exportAim];
}

/**
 * An aim judged from one figure: not measured without it; `judge: false` reports the figure without a verdict (a
 * run smaller than the aim names).
 */
function judged(
  base: Pick<Aim, 'issue' | 'area' | 'aim'>,
  value: number | undefined,
  figure: (value: number) => string,
  ok: (value: number) => boolean,
  judge = true,
): Aim {
  if (value === undefined) {
    return { ...base, figure: 'n/a', status: 'not measured' };
  }
  return { ...base, figure: figure(value), status: judge ? verdict(ok(value)) : 'not measured' };
}

/** Issue 18: the pipeline's ratios to the machine's limits in the same run, and crawl → alert latency. */
function pipelineAims(outbox: Json, crawl: Json): Aim[] {
  const base = (aim: string) => ({ issue: 18, area: 'pipeline', aim });
  const fromCompleted = num(crawl, 'completedToAlertUnderLoadMs', 'p95', 'median');
  return [
    // Issue 2's aim again (the same ratio, the same half), counted for issue 18 as well.
    { ...outboxAim(outbox), issue: 18, area: 'pipeline' },
    judged(
      base('crawl pipeline at least 0.5 × raw multi-row INSERT, same run'),
      num(crawl, 'ratioMedian'),
      (ratio) => `median ratio ${fmt(ratio, 2)} (${fmt(num(crawl, 'endToEnd', 'median'))} rows/s)`,
      (ratio) => ratio >= 0.5,
    ),
    judged(
      base('crawl → alert p95 under the pipeline bench’s load below 5 s'),
      num(crawl, 'crawlToAlertUnderLoadMs', 'p95', 'median'),
      (ms) => `median p95 ${fmt(ms)} ms from the request (from crawl.completed ${fmt(fromCompleted)} ms)`,
      (ms) => ms < 5_000,
    ),
    judged(
      base('crawl → alert paced p95 below 300 ms'),
      num(crawl, 'crawlToAlertPacedMs', 'p95', 'median'),
      (ms) => `median p95 ${fmt(ms)} ms`,
      (ms) => ms < 300,
    ),
  ];
}

/** Issue 21: each route's ceiling and its p99 at a fixed rate, and the reporting's aims at 10 M rows. */
function servingAims(gateway: Json, reporting: Json): Aim[] {
  const runs = list(gateway, 'runs');
  const runOf = (prefix: string, rate: number | null): Json =>
    runs.find((run) => (str(run, 'name') ?? '').startsWith(prefix) && (num(run, 'rate') ?? null) === rate);
  const gatewayBase = (aim: string) => ({ issue: 21, area: 'gateway', aim });
  /** What the same route measured with `Cache-Control: no-cache` (the gateway computing every answer), if run. */
  const computed = (route: string, rate?: number): string => {
    const ceiling = num(runOf(`${route}, computed`, null), 'requestsPerSec');
    const paced = rate === undefined ? undefined : runOf(`${route}, computed`, rate);
    const p99 = num(paced, 'latencyMs', 'p99');
    const atRate = p99 === undefined ? '' : `, p99 ${fmt(p99, 1)} ms at ${fmt(num(paced, 'requestsPerSec'))} req/s`;
    return ceiling === undefined ? '' : ` (computed, Cache-Control: no-cache: ceiling ${fmt(ceiling)} req/s${atRate})`;
  };
  const routeAim = (route: string, prefix: string, ceiling: number, rate: number, p99Ms: number): Aim => {
    const paced = runOf(prefix, rate);
    const p99 = num(paced, 'latencyMs', 'p99');
    const achieved = num(paced, 'requestsPerSec');
    const noop = num(
      list(gateway, 'limitPaced').find((run) => num(run, 'rate') === rate),
      'latencyMs',
      'p99',
    );
    const floor = noop === undefined ? '' : ` (a route doing nothing, same run: p99 ${fmt(noop, 1)} ms)`;
    const atRate =
      p99 === undefined ? `not run at ${fmt(rate)} req/s` : `p99 ${fmt(p99, 1)} ms at ${fmt(achieved)} req/s${floor}`;
    return judged(
      gatewayBase(`${route}: ceiling at least ${fmt(ceiling)} req/s; p99 under ${p99Ms} ms at ${fmt(rate)} req/s`),
      num(runOf(prefix, null), 'requestsPerSec'),
      (reached) => `ceiling ${fmt(reached)} req/s; ${atRate}${computed(prefix.replace(/ \($/, ''), rate)}`,
      (reached) => reached >= ceiling && p99 !== undefined && p99 < p99Ms && (achieved ?? 0) >= rate * 0.95,
    );
  };
  const rows = num(reporting, 'dataset', 'rows', 'rank_hourly');
  const atScale = rows !== undefined && rows >= 9_500_000;
  const scaleNote = atScale ? '' : ' (smaller dataset than the aim names: not judged)';
  const reportingAim = (aim: string, value: number | undefined, unit: string, ok: (v: number) => boolean): Aim =>
    judged({ issue: 21, area: 'reporting', aim }, value, (v) => `${fmt(v, 1)} ${unit}${scaleNote}`, ok, atScale);
  const p95 = (query: string): number | undefined => num(reporting, 'latency', query, 'p95');
  const warm = (query: string): number | undefined => num(reporting, 'cached', 'latency', query, 'p95');
  /** The larger of the dashboard's and the brand share's figure; undefined unless both were measured. */
  const worst = (of: (query: string) => number | undefined): number | undefined => {
    const [dashboard, brands] = [of('dashboard'), of('brands30d')];
    return dashboard === undefined || brands === undefined ? undefined : Math.max(dashboard, brands);
  };
  const plain = exportRuns(reporting).find((run) => run.nodeArgs === 'none');
  const growth = plain?.before === undefined ? undefined : ((plain.max - plain.before) * 1_048_576) / 1e6;
  return [
    routeAim('GET /v1/tenant', 'GET /v1/tenant', 8_000, 2_000, 20),
    routeAim('GET /v1/products (page of 20)', 'GET /v1/products (', 2_000, 1_000, 50),
    judged(
      gatewayBase('GET /v1/products/:id/rank-history: ceiling at least 1,500 req/s'),
      num(runOf('GET /v1/products/:id/rank-history (', null), 'requestsPerSec'),
      (reached) => `ceiling ${fmt(reached)} req/s${computed('GET /v1/products/:id/rank-history')}`,
      (reached) => reached >= 1_500,
    ),
    ...(
      [
        ['dashboard and brand share computed p95 under 8 ms at 10 M rows (the larger)', worst(p95), 'ms', 8],
        ['30-day hourly rank history p95 under 15 ms at 10 M rows', p95('rankHistory30dHour'), 'ms', 15],
        ['dashboard and brand share from a warm cache p95 under 2 ms (the larger)', worst(warm), 'ms', 2],
      ] as const
    ).map(([aim, value, unit, below]) => reportingAim(aim, value, unit, (v) => v < below)),
    reportingAim(
      'projection at least 1,000 ranking.recorded events/s',
      num(reporting, 'ingest', 'eventsPerSec'),
      'events/s',
      (v) => v >= 1_000,
    ),
    // The export is 1 M rows whatever the dataset's size: judged in every mode.
    judged(
      {
        issue: 21,
        area: 'reporting',
        aim: 'CSV export of 1 M rows: service memory grows by less than 100 MB (no heap cap)',
      },
      growth,
      (mb) => `${fmt(mb, 1)} MB`,
      (mb) => mb < 100,
    ),
  ];
}

function retentionAim(retention: Json): Aim {
  const scenarios = list(retention, 'results');
  const figure = scenarios
    .map(
      (s) =>
        `${str(s, 'scenario') ?? '?'}: ${fmt(num(s, 'rowsPerSecond'))} rows/s, gateway p99 ` +
        `${fmt(num(s, 'baseline', 'p99'), 1)} → ${fmt(num(s, 'duringPurge', 'p99'), 1)} ms`,
    )
    .join('; ');
  return {
    issue: 7,
    area: 'retention',
    aim: 'purge rate and gateway p99 during the purge (reported, no numeric aim)',
    figure: figure === '' ? 'n/a' : figure,
    status: figure === '' ? 'not measured' : 'no numeric aim',
  };
}

export function judgeAims(sources: Map<string, Source>): Aim[] {
  const data = (name: string): Json => sources.get(name)?.data;
  return [
    outboxAim(data('outbox')),
    crawlAim(data('crawl')),
    gatewayAim(data('gateway')),
    ...reportingAims(data('reporting')),
    retentionAim(data('retention')),
    ...pipelineAims(data('outbox'), data('crawl')),
    ...servingAims(data('gateway'), data('reporting')),
  ];
}

export interface ExportRun {
  nodeArgs: string;
  rows: number | undefined;
  seconds: number | undefined;
  before: number | undefined;
  max: number;
}

/** The export runs of the reporting bench: `exports[]` (current shape) or the single `export` of earlier runs. */
export function exportRuns(reporting: Json): ExportRun[] {
  const runs = list(reporting, 'exports').map((run) => ({
    nodeArgs: str(run, 'nodeArgs') ?? 'none',
    rows: num(run, 'rows'),
    seconds: num(run, 'seconds'),
    before: num(run, 'serviceRssBeforeMiB'),
    max: num(run, 'serviceRssMaxMiB') ?? Number.NaN,
  }));
  const single = num(reporting, 'export', 'serviceRssMaxDuringMiB');
  if (single !== undefined) {
    runs.push({
      nodeArgs: 'none',
      rows: num(reporting, 'export', 'rows'),
      seconds: num(reporting, 'export', 'seconds'),
      before: num(reporting, 'export', 'serviceRssBeforeMiB'),
      max: single,
    });
  }
  return runs;
}
