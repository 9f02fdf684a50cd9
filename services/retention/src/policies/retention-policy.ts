import { DataKind, RetentionPolicyEntry, StreamName, dataKindSchema } from '@shelfwatch/contracts';

const DAY_MS = 86_400_000;

/** Every data kind, in the order views list them. */
export const DATA_KINDS: readonly DataKind[] = dataKindSchema.options;

/** Days each data kind is kept when a tenant chose nothing else. */
export type RetentionDefaults = Record<DataKind, number>;

/** A tenant's choice for one data kind. */
export interface PolicyOverride {
  tenantId: string;
  dataKind: DataKind;
  days: number;
}

/** A tenant's effective policy: its overrides where it has them, the defaults elsewhere. */
export function effectivePolicy(
  defaults: RetentionDefaults,
  overrides: readonly PolicyOverride[],
): RetentionPolicyEntry[] {
  return DATA_KINDS.map((dataKind) => {
    const own = overrides.find((override) => override.dataKind === dataKind);
    return own
      ? { dataKind, days: own.days, source: 'tenant' }
      : { dataKind, days: defaults[dataKind], source: 'default' };
  });
}

/** Rows strictly older than this instant are outside a window of `days` days ending at `now`. */
export function cutoffFor(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Start of the sweep period `now` falls in: sweeps are due once per period, counted from the epoch. */
export function sweepPeriod(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/** What one data kind's owner is asked to purge. */
export interface PurgePlan {
  dataKind: DataKind;
  cutoff: Date;
  tenantCutoffs: { tenantId: string; cutoff: Date }[];
}

/** One plan per data kind: the default cut-off plus one per tenant overriding that kind. */
export function planPurges(now: Date, defaults: RetentionDefaults, overrides: readonly PolicyOverride[]): PurgePlan[] {
  return DATA_KINDS.map((dataKind) => ({
    dataKind,
    cutoff: cutoffFor(now, defaults[dataKind]),
    tenantCutoffs: overrides
      .filter((override) => override.dataKind === dataKind)
      .map((override) => ({ tenantId: override.tenantId, cutoff: cutoffFor(now, override.days) })),
  }));
}

/** Which data kinds' events each expiring stream carries; TRACKING (the catalog) never expires. */
const STREAM_KINDS: Partial<Record<StreamName, readonly DataKind[]>> = {
  CRAWL: ['crawl_runs'],
  RANKING: ['ranking_rows'],
  ALERT: ['alerts', 'delivery_logs'],
};

/**
 * Max age of each stream whose events a policy governs: the longest window any tenant keeps of those
 * kinds, so a stream never drops an event some tenant still keeps; but never above the platform maximum
 * `maxDays` (a policy stored before the maximum was lowered cannot make a stream keep events longer).
 */
export function streamMaxAges(
  defaults: RetentionDefaults,
  overrides: readonly PolicyOverride[],
  maxDays: number,
): Partial<Record<StreamName, number>> {
  const ages: Partial<Record<StreamName, number>> = {};
  for (const [stream, kinds] of Object.entries(STREAM_KINDS) as [StreamName, readonly DataKind[]][]) {
    const days = [
      ...kinds.map((kind) => defaults[kind]),
      ...overrides.filter((override) => kinds.includes(override.dataKind)).map((override) => override.days),
    ];
    ages[stream] = Math.min(maxDays, Math.max(...days));
  }
  return ages;
}

/** One change of a tenant's policy (`days: null` returns to the default). */
export interface PolicyChange {
  dataKind: DataKind;
  days: number | null;
}

/** The changes that would keep a kind longer than the platform maximum `maxDays` (each is refused). */
export function beyondMaximum(changes: readonly PolicyChange[], maxDays: number): PolicyChange[] {
  return changes.filter((change) => change.days !== null && change.days > maxDays);
}
