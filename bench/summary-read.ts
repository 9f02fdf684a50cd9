/** Reading the benches' results files, whose shapes belong to their owners: every field is looked up safely. */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Figures } from './bench-report';

export type Json = unknown;

export interface Source {
  name: string;
  file: string;
  data: Json;
}

/** The value at `path` (object keys or array indexes), or undefined. */
export function at(value: Json, ...path: (string | number)[]): Json {
  let current: Json = value;
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(current)) {
      current = current[key];
    } else if (typeof key === 'string' && typeof current === 'object' && current !== null && key in current) {
      current = Object.getOwnPropertyDescriptor(current, key)?.value;
    } else {
      return undefined;
    }
  }
  return current;
}

export function num(value: Json, ...path: (string | number)[]): number | undefined {
  const found = at(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : undefined;
}

export function str(value: Json, ...path: (string | number)[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

export function list(value: Json, ...path: (string | number)[]): Json[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? found : [];
}

/** A `Figures` object (min/median/max/runs) at `path`, if that is what is there. */
export function figuresAt(value: Json, ...path: (string | number)[]): Figures | undefined {
  const min = num(value, ...path, 'min');
  const median = num(value, ...path, 'median');
  const max = num(value, ...path, 'max');
  if (min === undefined || median === undefined || max === undefined) {
    return undefined;
  }
  const runs = list(value, ...path, 'runs').filter((run): run is number => typeof run === 'number');
  return { min, median, max, runs };
}

/**
 * Finds `<name>-results.json`: in quick mode first in the quick directory (and the reporting bench's own
 * quick directory), then the committed full-run file in `bench/`, so the summary says which one it used.
 */
export function readSource(name: string, quick: boolean): Source | undefined {
  return readFirst(name, [...(quick ? quickCandidates(name) : []), join('bench', `${name}-results.json`)]);
}

/** Only a quick run's results (the reporting bench's quick run is its 1 M-row figure). */
export function readQuickSource(name: string): Source | undefined {
  return readFirst(name, quickCandidates(name));
}

const quickCandidates = (name: string): string[] => [
  join(tmpdir(), 'shelfwatch-bench-quick', `${name}-results.json`),
  join(tmpdir(), `${name}-bench-quick`, `${name}-results.json`),
];

function readFirst(name: string, candidates: string[]): Source | undefined {
  const file = candidates.find((candidate) => existsSync(candidate));
  if (file === undefined) {
    return undefined;
  }
  const data: Json = JSON.parse(readFileSync(file, 'utf8'));
  return { name, file, data };
}

export const fmt = (value: number | undefined, digits = 0): string =>
  value === undefined
    ? 'n/a'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `| name | min | median | max | runs |` with a note when the figure comes from one run. */
export function row(name: string, f: Figures | undefined, digits = 0): string {
  if (f === undefined) {
    return `| ${name} | n/a | n/a | n/a | not measured |`;
  }
  const runs = f.runs.length === 1 ? '1 (single run)' : String(f.runs.length);
  return `| ${name} | ${fmt(f.min, digits)} | ${fmt(f.median, digits)} | ${fmt(f.max, digits)} | ${runs} |`;
}
