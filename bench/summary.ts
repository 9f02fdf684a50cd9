/**
 * Gathers every bench's `<area>-results.json` (limits, outbox, crawl, gateway, reporting, retention — those
 * that exist) into bench/results.json and bench/REPORT.md: machine, versions, the date of each source run,
 * a table per area with min / median / max, the ratios to the machine's limits, and the aims of the other
 * issues marked met or not met. `--quick` (or `BENCH_QUICK=1`) prefers the quick results and writes the
 * summary next to them, leaving the committed files alone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAverage, machineInfo, outboxCpuTable, quickMode, resultsDir } from './bench-report';
import { exportRuns, judgeAims } from './summary-aims';
import { Json, Source, at, figuresAt, fmt, list, num, readQuickSource, readSource, row, str } from './summary-read';
import { serverVersions } from './versions';

const QUICK = quickMode();
const AREAS = ['limits', 'outbox', 'crawl', 'gateway', 'reporting', 'retention'];
const HEAD = ['| figure | min | median | max | runs |', '|---|---|---|---|---|'];

const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? 'n/a' : (a / b).toFixed(3);

function limitsSection(limits: Json): string[] {
  return [
    '## Limits of this machine (same run)',
    '',
    `${fmt(num(limits, 'messages'))} messages of ${fmt(num(limits, 'messageBytes'))} bytes per JetStream run ` +
      `(256 publishes in flight, msgID set; pull consumer, explicit ack of each); ${fmt(num(limits, 'rows'))} rows ` +
      'per Postgres run (12 columns shaped like `ranking_rows`, logged table, no index, one connection).',
    '',
    ...HEAD,
    row('raw JetStream publish, acked (msgs/s)', figuresAt(limits, 'jetStreamPublishPerSec')),
    row('raw JetStream pull consume, acked (msgs/s)', figuresAt(limits, 'jetStreamConsumePerSec')),
    row('raw Postgres multi-row INSERT, 1,000 rows/statement (rows/s)', figuresAt(limits, 'postgresInsertRowsPerSec')),
    row('raw Postgres COPY FROM STDIN (rows/s)', figuresAt(limits, 'postgresCopyRowsPerSec')),
    '',
  ];
}

function outboxSection(outbox: Json, limits: Json): string[] {
  const e2e = figuresAt(outbox, 'outboxToInboxPerSec');
  return [
    '## Outbox → JetStream → inbox (issue 2)',
    '',
    ...HEAD,
    row('raw JetStream publish in the outbox run (msgs/s)', figuresAt(outbox, 'rawJetStreamPublishPerSec')),
    row('outbox → relay → JetStream → consumer → inbox + effect row (events/s)', e2e),
    row(
      'same, the batch’s effect rows in one statement before the commit (events/s)',
      figuresAt(outbox, 'outboxToInboxSetEffectPerSec'),
    ),
    row('same without the effect row (events/s)', figuresAt(outbox, 'outboxToInboxNoEffectPerSec')),
    row('outbox writes, 500 per transaction (events/s)', figuresAt(outbox, 'outboxWritePerSec')),
    '',
    `Median ratios: to the raw publish of the same bench **${ratio(e2e?.median, num(outbox, 'rawJetStreamPublishPerSec', 'median'))}**, ` +
      `to the limits' raw publish **${ratio(e2e?.median, num(limits, 'jetStreamPublishPerSec', 'median'))}**, ` +
      `to the limits' raw consume **${ratio(e2e?.median, num(limits, 'jetStreamConsumePerSec', 'median'))}**; ` +
      `with the batch's effects in one statement, to the raw publish of the same bench ` +
      `**${ratio(figuresAt(outbox, 'outboxToInboxSetEffectPerSec')?.median, num(outbox, 'rawJetStreamPublishPerSec', 'median'))}**.`,
    '',
    ...outboxCpuTable(at(outbox, 'cpuUsPerEvent') as Record<string, Record<string, number>> | undefined),
    '',
  ];
}

function crawlSection(crawl: Json, limits: Json): string[] {
  const e2e = figuresAt(crawl, 'endToEnd');
  const latency = (key: string, label: string): string[] =>
    ['p50', 'p95', 'p99'].map((p) => row(`crawl → alert ${label} ${p} (ms)`, figuresAt(crawl, key, p)));
  return [
    '## Crawl pipeline: simulator → crawler → ranking → alerting + reporting (issues 3, 9)',
    '',
    `${fmt(num(crawl, 'keywords'))} keyword crawls × ${fmt(num(crawl, 'itemsPerCrawl'))} items per run; every ` +
      `${fmt(num(crawl, 'alertEvery'))}th keyword's crawl raises an alert; then ${fmt(num(crawl, 'pacedCrawls'))} ` +
      `alerting crawls paced at ${fmt(num(crawl, 'pacedPerSec'))}/s. Alerts seen ${fmt(num(crawl, 'alerts', 'seen'))} ` +
      `of ${fmt(num(crawl, 'alerts', 'expected'))}.`,
    '',
    ...HEAD,
    row('ranking rows stored end to end (rows/s)', e2e),
    row('raw multi-row INSERT, same run (rows/s)', figuresAt(crawl, 'rawMultiRowInsert')),
    row('raw COPY, same run (rows/s)', figuresAt(crawl, 'rawCopy')),
    ...latency('crawlToAlertUnderLoadMs', 'under load'),
    ...latency('crawlToAlertPacedMs', 'paced, idle pipeline'),
    '',
    `Median ratios of rows/s end to end: to INSERT **${ratio(e2e?.median, num(crawl, 'rawMultiRowInsert', 'median'))}** ` +
      `and COPY **${ratio(e2e?.median, num(crawl, 'rawCopy', 'median'))}** of the same run; to the limits bench's ` +
      `INSERT **${ratio(e2e?.median, num(limits, 'postgresInsertRowsPerSec', 'median'))}** and COPY ` +
      `**${ratio(e2e?.median, num(limits, 'postgresCopyRowsPerSec', 'median'))}**. Crawl-to-alert latency has no limit ` +
      'counterpart measured here; the paced figure is the pipeline without queueing, the loaded one includes it.',
    '',
  ];
}

function gatewaySection(gateway: Json): string[] {
  const limit = gateway !== null && typeof gateway === 'object' && 'limit' in gateway ? [gateway.limit] : [];
  const runs = [...limit, ...list(gateway, 'limitPaced'), ...list(gateway, 'runs')].map(
    (run) =>
      `| ${str(run, 'name') ?? '?'} | ${str(run, 'mode') ?? fmt(num(run, 'rate'))} | ${fmt(num(run, 'requestsPerSec'))} | ` +
      `${fmt(num(run, 'latencyMs', 'p50'), 1)} | ${fmt(num(run, 'latencyMs', 'p95'), 1)} | ` +
      `${fmt(num(run, 'latencyMs', 'p99'), 1)} | ${fmt(num(run, 'non2xx'))} / ${fmt(num(run, 'errors'))} |`,
  );
  return [
    '## Gateway at fixed request rates (issue 5)',
    '',
    `${fmt(num(gateway, 'rankingRows'))} ranking rows stored. **Single run per rate**: each line is one ` +
      'autocannon run; the percentiles are over its requests, not over several runs.',
    '',
    '| route | load | achieved req/s | p50 ms | p95 ms | p99 ms | non-2xx / errors |',
    '|---|---|---|---|---|---|---|',
    ...runs,
    '',
  ];
}

function latencyTable(value: Json, label: string): string[] {
  const latency = record(value);
  if (latency === undefined) {
    return [];
  }
  return [
    `| ${label} | p50 ms | p95 ms | p99 ms | samples |`,
    '|---|---|---|---|---|',
    ...Object.keys(latency).map(
      (query) =>
        `| ${query} | ${fmt(num(latency, query, 'p50'), 1)} | ${fmt(num(latency, query, 'p95'), 1)} | ` +
        `${fmt(num(latency, query, 'p99'), 1)} | ${fmt(num(latency, query, 'samples'))} |`,
    ),
    '',
  ];
}

function record(value: Json): Record<string, Json> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : undefined;
}

function reportingSection(reporting: Json, oneMillion: Source | undefined): string[] {
  const rows = num(reporting, 'dataset', 'rows', 'rank_hourly');
  const addendum = record(record(reporting)?.addendumQuickRun);
  return [
    '## Reporting read models (issue 6)',
    '',
    `${fmt(rows)} hourly rank rows. **Single run**: percentiles are over the samples of one run.`,
    '',
    ...latencyTable(record(reporting)?.latency, `query at ${fmt((rows ?? 0) / 1e6, 1)} M rows, computed (cache TTL 0)`),
    ...latencyTable(record(record(reporting)?.cached)?.latency, 'same, warm cache'),
    ...(addendum === undefined
      ? []
      : latencyTable(addendum.latency, `query at 1 M rows (quick run ${str(addendum, 'date') ?? ''})`)),
    ...(oneMillion === undefined
      ? []
      : latencyTable(
          record(oneMillion.data)?.latency,
          `query at ${fmt((num(oneMillion.data, 'dataset', 'rows', 'rank_hourly') ?? 0) / 1e6, 1)} M rows ` +
            `(quick run ${str(oneMillion.data, 'date') ?? ''}, \`${oneMillion.file}\`)`,
        )),
    ...exportRuns(reporting).map(
      (run) =>
        `Export (node args ${run.nodeArgs}): ${fmt(run.rows)} rows in ${fmt(run.seconds, 1)} s; service RSS ` +
        `${fmt(run.before)} MiB before, at most ${fmt(run.max)} MiB during.`,
    ),
    `Ingest through JetStream: ${fmt(num(reporting, 'ingest', 'eventsPerSec'))} ranking.recorded events/s of ` +
      `${fmt(num(reporting, 'ingest', 'keywords') ?? 50)} keywords` +
      (num(reporting, 'ingestManyKeywords', 'eventsPerSec') === undefined
        ? '.'
        : `, ${fmt(num(reporting, 'ingestManyKeywords', 'eventsPerSec'))} of ` +
          `${fmt(num(reporting, 'ingestManyKeywords', 'keywords'))}.`),
    '',
  ];
}

function retentionSection(retention: Json): string[] {
  return [
    '## Retention purge (issue 7)',
    '',
    `${fmt(num(retention, 'rows'))} expired and as many kept rows per scenario. **Single run per scenario.**`,
    '',
    '| scenario | rows purged | purge s | rows/s | gateway p50 / p99 ms before | during purge |',
    '|---|---|---|---|---|---|',
    ...list(retention, 'results').map(
      (s) =>
        `| ${str(s, 'scenario') ?? '?'} | ${fmt(num(s, 'deleted'))} | ${fmt(num(s, 'purgeSeconds'), 2)} | ` +
        `${fmt(num(s, 'rowsPerSecond'))} | ${fmt(num(s, 'baseline', 'p50'), 1)} / ${fmt(num(s, 'baseline', 'p99'), 1)} | ` +
        `${fmt(num(s, 'duringPurge', 'p50'), 1)} / ${fmt(num(s, 'duringPurge', 'p99'), 1)} |`,
    ),
    '',
  ];
}

async function main(): Promise<void> {
  const sources = new Map<string, Source>();
  for (const area of AREAS) {
    const source = readSource(area, QUICK);
    if (source !== undefined) {
      sources.set(area, source);
    }
  }
  const data = (area: string): Json => sources.get(area)?.data;
  const machine = machineInfo();
  const versions = await serverVersions();
  const aims = judgeAims(sources);
  const generated = new Date().toISOString();
  const sourceRows = AREAS.map((area) => {
    const source = sources.get(area);
    if (source === undefined) {
      return `| ${area} | — | not run | | | |`;
    }
    const load = (when: string): string =>
      num(source.data, 'loadAverage', when)?.toString() ??
      list(source.data, 'loadAverage', when).map(String).join(' / ');
    const cpus = num(source.data, 'machine', 'cpus');
    const host = cpus === undefined ? 'not recorded' : `${cpus} × ${str(source.data, 'machine', 'cpuModel') ?? '?'}`;
    return (
      `| ${area} | \`${source.file}\` | ${str(source.data, 'date') ?? '?'} | ${str(source.data, 'mode') ?? 'full'} | ` +
      `${host} | ${load('before') || 'not recorded'} → ${load('after') || 'not recorded'} |`
    );
  });
  const report = [
    '# ShelfWatch benchmark report',
    '',
    `Summary generated ${generated}${QUICK ? ' from **quick** runs where they exist' : ''} by \`node dist/bench/summary.js\`.`,
    '',
    `Summarised on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB. Node ${versions.node}; ` +
      `${versions.postgres}; nats-server ${versions.natsServer} (JetStream, file storage), all on this machine. Each ` +
      "area was measured on the host its row names (hosts of one kind differ: compare figures of one area's run, not " +
      'across areas run on different hosts). ' +
      `Load average now ${loadAverage().join(' / ')}. The 2 cores were shared with other engineers' test suites ` +
      '(fault suite, gateway bench) during these runs: figures are lower bounds of what the code does on an idle machine.',
    '',
    '| area | source | run date | mode | host | load average 1/5/15 before → after |',
    '|---|---|---|---|---|---|',
    ...sourceRows,
    '',
    '## Aims of the issues',
    '',
    '| issue | area | aim | figure | status |',
    '|---|---|---|---|---|',
    ...aims.map((a) => `| ${a.issue} | ${a.area} | ${a.aim} | ${a.figure} | **${a.status}** |`),
    '',
    ...(sources.has('limits') ? limitsSection(data('limits')) : []),
    ...(sources.has('outbox') ? outboxSection(data('outbox'), data('limits')) : []),
    ...(sources.has('crawl') ? crawlSection(data('crawl'), data('limits')) : []),
    ...(sources.has('gateway') ? gatewaySection(data('gateway')) : []),
    ...(sources.has('reporting')
      ? reportingSection(data('reporting'), QUICK ? undefined : readQuickSource('reporting'))
      : []),
    ...(sources.has('retention') ? retentionSection(data('retention')) : []),
    'Each area has its own report with the method: `LIMITS` (this file), `OUTBOX-REPORT.md`, `CRAWL-REPORT.md`, ',
    '`GATEWAY-REPORT.md`, `REPORTING-REPORT.md`, `RETENTION-REPORT.md`.',
    '',
  ];
  const results = {
    generated,
    mode: QUICK ? 'quick' : 'full',
    machine,
    versions,
    aims,
    sources: Object.fromEntries(
      [...sources].map(([area, source]) => [area, { file: source.file, ...spread(source.data) }]),
    ),
  };
  writeFileSync(join(resultsDir(), 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir(), 'REPORT.md'), report.join('\n'));
  console.log(report.join('\n'));
}

function spread(value: Json): Record<string, Json> {
  return record(value) ?? { value };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
