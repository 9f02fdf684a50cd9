import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ROOT } from './manifests';

/** The kinds of metric the code registers. */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/** One metric the code registers: its name, kind and the file that names it. */
export interface CataloguedMetric {
  name: string;
  kind: MetricKind;
  file: string;
}

/** Where metrics are registered: the services and the libraries, tests excluded. */
const SOURCE_ROOTS = ['libs', 'services'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** `counter('name'`, `histogram<L>(\n  CONSTANT.key` (libs/observability's helpers). */
const HELPER_CALL = /\b(counter|gauge|histogram)(?:<[^>(]*>)?\(\s*([\w.]+|'[^']+')\s*,/g;
/** `getOrCreate<…>(Gauge, CONSTANT.key` (libs/resilience builds its metrics with prom-client's classes). */
const CLASS_ARGUMENT = /\(\s*(Counter|Gauge|Histogram),\s*([\w.]+|'[^']+')\s*,/g;
/** `key: 'shelfwatch_…'` and `const NAME = 'shelfwatch_…'`: the constants that name metrics. */
const NAME_CONSTANT = /(?:(\w+):|const (\w+) =)\s*'(shelfwatch_\w+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name === 'test' ? [] : sourceFiles(path);
    }
    return entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name) ? [path] : [];
  });
}

/** The constants a file names metrics with: `crawlDuration` and `CRAWLER_METRICS.crawlDuration` alike. */
function nameConstants(text: string): Map<string, string> {
  const constants = new Map<string, string>();
  for (const [, key, constant, name] of text.matchAll(NAME_CONSTANT)) {
    constants.set(key ?? constant, name);
  }
  return constants;
}

function resolveName(argument: string, constants: Map<string, string>, file: string): string {
  if (argument.startsWith("'")) {
    return argument.slice(1, -1);
  }
  const name = constants.get(argument.split('.').pop() ?? argument);
  if (!name) {
    throw new Error(`${file}: cannot tell which metric ${argument} names (declare it as a 'shelfwatch_…' constant)`);
  }
  return name;
}

/**
 * Every metric the services register, read from their source: the calls of libs/observability's `counter`,
 * `gauge` and `histogram` and of prom-client's classes, with names written out or taken from a constant of the
 * same file. Read from the code rather than from a running process, because many metrics appear only once
 * something happened (the first crawl, the first webhook).
 */
export function codeMetrics(): CataloguedMetric[] {
  const found = new Map<string, CataloguedMetric>();
  for (const file of SOURCE_ROOTS.flatMap(sourceFiles)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const constants = nameConstants(text);
    const calls = [...text.matchAll(HELPER_CALL), ...text.matchAll(CLASS_ARGUMENT)];
    for (const [, kind, argument] of calls) {
      const name = resolveName(argument, constants, file);
      found.set(name, {
        name,
        kind: kind.toLowerCase() as MetricKind,
        file: relative(ROOT, join(ROOT, file)),
      });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The process metrics every service exports (`ensureDefaultMetrics`: prom-client's `collectDefaultMetrics`). */
export async function defaultMetrics(): Promise<CataloguedMetric[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  return metrics.map(({ name, type }) => ({ name, kind: String(type) as MetricKind, file: 'prom-client' }));
}

/** Series Prometheus adds to every target by itself. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/** Every series name a query may use: each metric, a histogram's `_bucket`, `_sum`, `_count`, Prometheus's own. */
export async function seriesNames(): Promise<Set<string>> {
  const metrics = [...codeMetrics(), ...(await defaultMetrics())];
  return new Set([
    ...SCRAPE_SERIES,
    ...metrics.flatMap(({ name, kind }) =>
      kind === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
    ),
  ]);
}

/** PromQL words that are not series: aggregation modifiers, set and comparison operators. */
const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/**
 * The series names a PromQL expression selects. Label matchers, ranges, strings and the label lists of `by (…)`
 * and `on (…)` are removed first; what is left that is neither a function call, a keyword nor a number is a name.
 */
export function seriesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)].map(([, name]) => name);
  return [...new Set(names.filter((name) => !PROMQL_KEYWORDS.has(name) && !/^(Inf|NaN|e\d*)$/i.test(name)))];
}
