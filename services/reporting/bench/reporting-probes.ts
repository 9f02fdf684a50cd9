import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { EventEnvelope, buildEvent, rankingEntrySchema } from '@shelfwatch/contracts';
import { benchNodeArgs } from '../../../bench/bench-processes';

/** Latency percentiles of one query, in milliseconds. */
export interface Latency {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs `call` `warmup` times unmeasured, then `samples` times one after the other. */
export async function measure(
  samples: number,
  warmup: number,
  call: (i: number) => Promise<unknown>,
): Promise<Latency> {
  for (let i = 0; i < warmup; i += 1) {
    await call(i);
  }
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await call(i + warmup);
    times.push(performance.now() - started);
  }
  const sorted = times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    samples,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/** Resident and peak resident memory of a process, in MiB (Linux `/proc/<pid>/status`). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
}

/** Samples a process's RSS every `everyMs` until stopped; answers the samples' maximum and last value. */
export function sampleRss(pid: number, everyMs = 100): () => { maxMiB: number; samples: number[] } {
  const samples: number[] = [memoryOf(pid).rssMiB];
  const timer = setInterval(() => samples.push(memoryOf(pid).rssMiB), everyMs);
  return () => {
    clearInterval(timer);
    return { maxMiB: Math.max(0, ...samples), samples };
  };
}

/** What one export run measured (MiB, seconds). */
export interface ExportFigures {
  nodeArgs: string;
  rows: number;
  chunks: number;
  seconds: number;
  rowsPerSec: number;
  serviceRssBeforeMiB: number;
  serviceRssMaxMiB: number;
  servicePeakAfterMiB: number;
  gatewaySideRssBeforeMiB: number;
  gatewaySideRssMaxMiB: number;
}

/** The reporting service as deployed: its own Node process from `dist/` (with extra Node flags, and `BENCH_NODE_ARGS`). */
export function spawnReporting(root: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...benchNodeArgs(),
      ...nodeArgs,
      '--require',
      './dist/libs/observability/src/preload.js',
      'dist/services/reporting/src/main.js',
    ],
    { cwd: root, env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

/**
 * `count` recorded crawls of one tenant's `keywords` keywords, one per keyword and hour, each with a
 * 100-entry shelf and `standings` tracked products: what the projection ingests in the bench.
 */
export function recordedCrawls(
  count: number,
  keywords: number,
  standings: number,
): EventEnvelope<'ranking.recorded'>[] {
  const tenantId = randomUUID();
  const keywordIds = Array.from({ length: keywords }, () => randomUUID());
  const productIds = Array.from({ length: standings }, () => randomUUID());
  const start = Date.UTC(2026, 9, 1);
  return Array.from({ length: count }, (_, i) => {
    const keywordId = keywordIds[i % keywords] ?? '';
    const recordedAt = new Date(start + Math.floor(i / keywords) * 3_600_000 + (i % keywords) * 1_000);
    const data = {
      crawlId: randomUUID(),
      keywordId,
      recordedAt: recordedAt.toISOString(),
      orderFidelity: 'exact' as const,
      entries: Array.from({ length: 100 }, (_, r) =>
        rankingEntrySchema.parse({
          rank: r + 1,
          externalId: `x${(r * 7 + i) % 400}`,
          productId: null,
          mall: 'mall',
          brand: `Brand ${(r + i) % 30}`,
          price: 10_000 + r,
          excluded: false,
        }),
      ),
      standings: productIds.map((productId, p) => ({
        productId,
        rank: 1 + ((i + p * 13) % 100),
        previousRank: null,
        change: null,
        myPrice: 12_000,
        priceSource: 'catalog' as const,
        observedMall: null,
        catalogPrice: null,
        currency: 'KRW',
        lowestCompetitorPrice: 10_000 + (i % 50),
        otherCurrencyCompetitors: 0,
        lowestCompetitor: { externalId: 'x1', mall: 'mall', rank: 1 },
      })),
    };
    const origin = { tenantId, correlationId: randomUUID(), causationId: null };
    return buildEvent('ranking.recorded', data, origin, { id: randomUUID(), occurredAt: recordedAt });
  });
}
