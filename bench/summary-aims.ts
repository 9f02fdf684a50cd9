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
