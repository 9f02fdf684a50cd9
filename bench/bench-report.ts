import { cpus, totalmem } from 'node:os';

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
