import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatDuration } from '@shelfwatch/observability';

/** Min, median and max of several runs of one figure. */
export interface Figures {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

export function figures(runs: number[]): Figures {
  const sorted = [...runs].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0, runs };
}

/** The median of each named figure over runs (a name missing from a run counts 0 there). */
export function medianByName(runs: Record<string, number>[]): Record<string, number> {
  const names = [...new Set(runs.flatMap((run) => Object.keys(run)))];
  return Object.fromEntries(names.map((name) => [name, figures(runs.map((run) => run[name] ?? 0)).median]));
}

/** What each process of the outbox bench is in its CPU table, in the order of the columns. */
const OUTBOX_CPU_COLUMNS: [string, string][] = [
  ['bench', 'publisher (raw)'],
  ['relay', 'relay'],
  ['consumer', 'consumer'],
  ['postgres', 'postgres'],
  ['nats', 'nats-server'],
  ['total', 'total'],
];

/** What each row of the outbox bench's CPU table measured. */
const OUTBOX_CPU_ROWS: [string, string][] = [
  ['raw', 'raw JetStream publish, acked'],
  ['row', 'outbox → inbox + one effect statement per event'],
  ['set', 'same, the batch’s effects in one statement'],
  ['none', 'same, no effect (messaging only)'],
];

/**
 * The outbox bench's CPU per event (µs, median of the runs) by process, as a Markdown table; none when the results
 * predate the figure. `cpu` is `cpuUsPerEvent` of outbox-results.json: figure → process → µs.
 */
export function outboxCpuTable(cpu: Record<string, Record<string, number>> | undefined): string[] {
  if (cpu === undefined) {
    return [];
  }
  const cell = (value: number | undefined): string => (value === undefined ? '–' : value.toFixed(0));
  return [
    `| CPU µs per event (user + system from /proc, median of the runs) | ${OUTBOX_CPU_COLUMNS.map(([, label]) => label).join(' | ')} |`,
    `|---|${OUTBOX_CPU_COLUMNS.map(() => '---').join('|')}|`,
    ...OUTBOX_CPU_ROWS.filter(([key]) => cpu[key] !== undefined).map(
      ([key, label]) => `| ${label} | ${OUTBOX_CPU_COLUMNS.map(([name]) => cell(cpu[key]?.[name])).join(' | ')} |`,
    ),
  ];
}

/** What a report says about the machine it was measured on. */
export function machineInfo(): { cpus: number; cpuModel: string; memoryGiB: number; node: string } {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/** A Markdown table row: name, min, median, max. */
export function figureRow(name: string, f: Figures): string {
  return `| ${name} | ${f.min.toFixed(0)} | ${f.median.toFixed(0)} | ${f.max.toFixed(0)} |`;
}

/** Quick mode (`BENCH_QUICK=1` or `--quick`): small sizes, so that every bench together stays under 2 min. */
export function quickMode(): boolean {
  return process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
}

/** The 1, 5 and 15 minute load averages, rounded: the machine is shared, so each report says how busy it was. */
export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** The value below which `p` % of the sorted sample lies (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Writes `<resultsDir>/<name>-results.json` (relative to the repository root, the benches' working directory). */
export function writeResults(name: string, results: unknown): void {
  writeFileSync(join(resultsDir(), `${name}-results.json`), `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * Where a bench writes its results: `bench/` in full mode; in quick mode a directory under the system's
 * temp dir, so a quick check never overwrites the committed full-run figures.
 */
export function resultsDir(): string {
  if (!quickMode()) {
    return 'bench';
  }
  const dir = join(tmpdir(), 'shelfwatch-bench-quick');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** One phase line of a bench: `[outbox 1 min 05 s] run 2/3`, the time since the bench began. */
export function phaseLine(bench: string, elapsedMs: number, phase: string): string {
  return `[${bench} ${formatDuration(elapsedMs)}] ${phase}`;
}

/**
 * Prints each phase of a bench as it starts (`phase('warm-up')`), so that a run of several minutes shows where
 * it is; long phases print their own progress lines (`ProgressReporter`).
 */
export function benchPhases(bench: string, now: () => number = () => performance.now()): (phase: string) => void {
  const started = now();
  return (phase) => console.log(phaseLine(bench, now() - started, phase));
}
