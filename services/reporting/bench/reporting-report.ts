import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { BRANDS_SQL } from '../src/reports/brands.query';
import { DASHBOARD_SQL } from '../src/reports/dashboard.query';
import { EXPORT_AFTER, EXPORT_HEADER, chunkBounds, exportSql } from '../src/reports/export.query';
import { historySql } from '../src/reports/history.query';
import { dayRange } from '../src/reports/time-range';
import { ExportFigures, Latency } from './reporting-probes';

/** `?` placeholders (MikroORM) as `$n` (pg). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** EXPLAIN (ANALYZE, BUFFERS) of every report query, and the size of every read model. */
export async function explainAll(
  url: string,
  at: { tenantId: string; productId: string; keywordId: string; from: string; to: string },
): Promise<{ plans: Record<string, string>; sizes: Record<string, string> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { first, endExclusive } = dayRange(at.from, at.to);
    const [middle] = (
      await client.query<{ product_id: string; keyword_id: string; bucket: Date }>(
        `select product_id, keyword_id, bucket from reporting.rank_hourly where tenant_id = $1
          order by tenant_id, product_id, keyword_id, bucket offset 500000 limit 1`,
        [at.tenantId],
      )
    ).rows;
    // The gateway's chunks: 256 KiB, the first with the header.
    const firstChunk = chunkBounds(256 * 1024, EXPORT_HEADER);
    const laterChunk = chunkBounds(256 * 1024, '');
    const queries: Record<string, [string, unknown[]]> = {
      dashboard: [
        DASHBOARD_SQL,
        [at.tenantId, at.tenantId, at.tenantId, at.to, at.to, at.tenantId, at.tenantId, at.tenantId],
      ],
      brands30d: [BRANDS_SQL, [at.tenantId, at.keywordId, first, endExclusive, 10]],
      rankHistory30dHour: [historySql('rank', 'hour', false), [at.tenantId, at.productId, at.from, at.to, null]],
      exportFirstChunk: [exportSql('hour', []), [at.tenantId, at.from, at.to, firstChunk.limit, firstChunk.budget]],
      exportChunkMidway: [
        exportSql('hour', [EXPORT_AFTER]),
        [
          at.tenantId,
          at.tenantId,
          middle?.product_id,
          middle?.keyword_id,
          middle?.bucket,
          at.from,
          at.to,
          laterChunk.limit,
          laterChunk.budget,
        ],
      ],
    };
    const plans: Record<string, string> = {};
    for (const [name, [sql, params]] of Object.entries(queries)) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers, costs off) ${numbered(sql)}`,
        params,
      );
      plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
    }
    const { rows } = await client.query<{ name: string; size: string }>(
      `select c.relname as name, pg_size_pretty(pg_total_relation_size(c.oid)) as size
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'reporting' and c.relkind = 'r' order by pg_total_relation_size(c.oid) desc`,
    );
    return { plans, sizes: Object.fromEntries(rows.map((r) => [r.name, r.size])) };
  } finally {
    await client.end();
  }
}

/** What one ingest run measured. */
export interface IngestFigures {
  events: number;
  /** Keywords the events are spread over, one crawl per keyword and hour (absent before: 50). */
  keywords?: number;
  seconds: number;
  eventsPerSec: number;
  standingRowsPerSec: number;
  shelfEntriesPerSec: number;
  /** Until the bench's last publish was acknowledged (absent in runs before 2026-12-07). */
  publishSeconds?: number;
  /** CPU ms per event of each process (reporting, the bench, Postgres, NATS) over the whole ingest. */
  cpuMsPerEvent?: Record<string, number>;
}

/** What the bench measured. */
export interface ReportingBenchResults {
  date: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  dataset: { size: object; rows: Record<string, number>; generationSeconds: number };
  ingest: IngestFigures;
  /** The same ingest spread over ten times the keywords (absent in runs before 2026-12-07, evening). */
  ingestManyKeywords?: IngestFigures;
  latency: Record<string, Latency>;
  cached: { latency: Record<string, Latency>; dashboardHitRatio: string };
  rssAfterBootMiB: number;
  exports: ExportFigures[];
  plans: { plans: Record<string, string>; sizes: Record<string, string> };
  /** Load average (1, 5, 15 min) of the machine as each phase began, and at the end. */
  load?: Record<string, number[]>;
}

/** One ingest run, as the report says it. */
function ingestLines(ingest: IngestFigures): string[] {
  return [
    `${ingest.events} \`ranking.recorded\` events (100 shelf entries and 10 standings each) of one tenant's ` +
      `${ingest.keywords ?? 50} keywords, published at once and`,
    `projected by the service in batch mode: ${ingest.seconds.toFixed(1)} s, **${ingest.eventsPerSec.toFixed(0)} events/s**,`,
    `${ingest.standingRowsPerSec.toFixed(0)} standing rows/s (each into the hourly and daily buckets and the latest rank) and`,
    `${ingest.shelfEntriesPerSec.toFixed(0)} shelf entries/s (into brand slots).`,
    ingest.publishSeconds === undefined
      ? ''
      : `The bench had published (and JetStream acknowledged) every event after ${ingest.publishSeconds.toFixed(1)} s.`,
    ingest.cpuMsPerEvent === undefined
      ? ''
      : `CPU per event: ${Object.entries(ingest.cpuMsPerEvent)
          .map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`)
          .join(', ')} (all of it, over the ${ingest.seconds.toFixed(1)} s).`,
  ];
}

/** Whether two runs are on the same kind of machine: the hosts change between sessions, and so do the figures. */
function sameMachine(before: ReportingBenchResults, after: ReportingBenchResults): string {
  const kind = (r: ReportingBenchResults): string => `${r.machine.cpus} × ${r.machine.cpuModel}`;
  return kind(before) === kind(after)
    ? `same kind of host (${kind(after)}), not always the same machine: compare with care`
    : `before on ${kind(before)}, after on ${kind(after)}: not the same host, so only large differences mean anything`;
}

/** The headline figures of a run beside another's (`before`), as the issue states its aims. */
function comparison(before: ReportingBenchResults, after: ReportingBenchResults): string[] {
  const p95 = (r: ReportingBenchResults, name: string): string => String(r.latency[name]?.p95 ?? 'n/a');
  const warm = (r: ReportingBenchResults, name: string): string => String(r.cached.latency[name]?.p95 ?? 'n/a');
  const growth = (r: ReportingBenchResults): string => {
    const plain = r.exports.find((e) => e.nodeArgs === 'none');
    return plain
      ? `${plain.serviceRssMaxMiB - plain.serviceRssBeforeMiB} MiB (${plain.serviceRssBeforeMiB} → ${plain.serviceRssMaxMiB})`
      : 'n/a';
  };
  const load = (r: ReportingBenchResults): string =>
    Object.entries(r.load ?? {})
      .map(([phase, avg]) => `${phase}: ${avg.map((x) => x.toFixed(1)).join(' / ')}`)
      .join('; ') || 'n/a';
  const lines: [string, string, string, string][] = [
    [
      'projection ingest, `ranking.recorded`/s',
      r0(before.ingest.eventsPerSec),
      r0(after.ingest.eventsPerSec),
      '≥ 1,000',
    ],
    [
      `the same over ${after.ingestManyKeywords?.keywords ?? 500} keywords, events/s`,
      before.ingestManyKeywords ? r0(before.ingestManyKeywords.eventsPerSec) : 'n/a',
      after.ingestManyKeywords ? r0(after.ingestManyKeywords.eventsPerSec) : 'n/a',
      '≥ 1,000',
    ],
    ['dashboard p95, computed (ms)', p95(before, 'dashboard'), p95(after, 'dashboard'), '< 8'],
    ['brand share 30 d p95, computed (ms)', p95(before, 'brands30d'), p95(after, 'brands30d'), '< 8'],
    ['rank history 30 d hourly p95 (ms)', p95(before, 'rankHistory30dHour'), p95(after, 'rankHistory30dHour'), '< 15'],
    ['dashboard p95, warm (ms)', warm(before, 'dashboard'), warm(after, 'dashboard'), '< 2'],
    ['brand share p95, warm (ms)', warm(before, 'brands30d'), warm(after, 'brands30d'), '< 2'],
    ['CSV export 1 M rows, service RSS growth (no heap cap)', growth(before), growth(after), '< 100 MB'],
  ];
  return [
    `## Before and after (${before.date} → ${after.date}, same bench, ${sameMachine(before, after)})`,
    '',
    '| figure | before | after | aim |',
    '| --- | ---: | ---: | ---: |',
    ...lines.map((cells) => `| ${cells.join(' | ')} |`),
    '',
    `Load average (1 / 5 / 15 min) at each phase, before: ${load(before)}.`,
    '',
    `After: ${load(after)}.`,
    '',
  ];
}

function r0(x: number): string {
  return x.toFixed(0);
}

const row = (name: string, l: Latency): string => `| ${name} | ${l.p50} | ${l.p95} | ${l.p99} | ${l.max} |`;

/** Writes `reporting-results.json` and `REPORTING-REPORT.md` into `dir`. */
export function writeReport(dir: string, r: ReportingBenchResults, before?: ReportingBenchResults): void {
  writeFileSync(join(dir, 'reporting-results.json'), `${JSON.stringify(before ? { ...r, before } : r, null, 2)}\n`);
  const md = [
    '# Reporting read models: benchmark',
    '',
    `${r.date}, ${r.mode} mode, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}.`,
    'The machine (2 cores) was shared with other engineers running builds and tests: figures are upper bounds.',
    'Generated by `node dist/bench/reporting.bench.js` (`--quick`: one tenant, written to the temp dir;',
    '`--before <results.json>`: a previous run to compare with).',
    '',
    ...(before ? comparison(before, r) : []),
    '## Dataset (generated with `generate_series` into the read-model tables)',
    '',
    '| table | rows |',
    '| --- | ---: |',
    ...Object.entries(r.dataset.rows).map(([t, n]) => `| ${t} | ${n.toLocaleString('en')} |`),
    '',
    `Generation took ${r.dataset.generationSeconds.toFixed(0)} s. Sizes: ${Object.entries(r.plans.sizes)
      .map(([t, s]) => `${t} ${s}`)
      .join(', ')}.`,
    '',
    '## Projection ingest through JetStream (on top of the dataset)',
    '',
    ...ingestLines(r.ingest),
    ...(r.ingestManyKeywords ? ['', ...ingestLines(r.ingestManyKeywords)] : []),
    '',
    '## Query latency over NATS request/reply (ms, every answer computed: cache TTL 0)',
    '',
    '| query | p50 | p95 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.latency).map(([name, l]) => row(name, l)),
    '',
    `From a warm cache (dashboard hit ratio ${r.cached.dashboardHitRatio}):`,
    '',
    '| query | p50 | p95 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.cached.latency).map(([name, l]) => row(name, l)),
    '',
    '## CSV export (one tenant, every hourly bucket, 256 KiB chunks, each run in a fresh service process)',
    '',
    `Service RSS right after boot: ${r.rssAfterBootMiB} MiB. RSS sampled every 100 ms during the export.`,
    '',
    '| node flags | rows | chunks | s | rows/s | service RSS before | service RSS max | service VmHWM | bench (gateway side) RSS before → max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.exports.map(
      (e) =>
        `| ${e.nodeArgs} | ${e.rows.toLocaleString('en')} | ${e.chunks} | ${e.seconds.toFixed(1)} | ${e.rowsPerSec.toFixed(0)} | ` +
        `${e.serviceRssBeforeMiB} | ${e.serviceRssMaxMiB} | ${e.servicePeakAfterMiB} | ${e.gatewaySideRssBeforeMiB} → ${e.gatewaySideRssMaxMiB} |`,
    ),
    '',
    '## Plans (EXPLAIN ANALYZE, BUFFERS)',
    '',
    ...Object.entries(r.plans.plans).flatMap(([name, plan]) => [`### ${name}`, '', '```', plan, '```', '']),
  ];
  writeFileSync(join(dir, 'REPORTING-REPORT.md'), md.join('\n'));
}
