import { DEFAULT_PLAN, PLANS } from '@shelfwatch/contracts';

/** Pure rules of the shared request budget: the rate window, the daily quota, tenant shares. Time comes in. */

/**
 * A request holds a rate slot from its grant until this long after it ended (its permit was released). Whatever
 * the delay between the grant and the request reaching the marketplace, no window of this length at the
 * marketplace then sees more than the rate (docs/crawl-pipeline.md §Budget has the argument).
 */
export const RATE_WINDOW_MS = 1_000;
/** A concurrency permit outlives the request timeout by this much; a crashed holder's permit then expires. */
export const PERMIT_GRACE_MS = 5_000;
/** The share weight of a tenant without a row in `crawler.tenant_plans` (the default plan's weight). */
export const DEFAULT_SHARE_WEIGHT = PLANS[DEFAULT_PLAN].shareWeight;

/** What one credential may spend. */
export interface BudgetLimits {
  ratePerSecond: number;
  maxConcurrency: number;
  dailyQuota: number;
}

/** The shared state of one budget as read, under its lock, at `now` (the database clock). */
export interface BudgetSnapshot {
  now: Date;
  /** When the stored day count started over last; the count is stale once `now` reaches it. */
  resetsAt: Date;
  usedToday: number;
  pausedUntil: Date | null;
  /** Rate slots held: requests in flight, and those that ended less than `RATE_WINDOW_MS` ago. */
  rateSlotsHeld: number;
  /** When the first slot of an ended request frees (its end plus the window); null when none has ended. */
  nextSlotFreesAt: Date | null;
  /** Requests in flight (unexpired concurrency permits). */
  permitsHeld: number;
  /** The requesting tenant's use of its share today; null with its own credentials (no share). */
  tenant: { usedToday: number; resetsAt: Date; share: number } | null;
}

/** What to do with one request. */
export type BudgetDecision =
  | { kind: 'grant'; resetsAt: Date; tenantResetsAt: Date | null }
  | { kind: 'wait'; ms: number; reason: 'rate' | 'concurrency' }
  | { kind: 'refuse'; code: 'quota_exhausted' | 'tenant_quota_exhausted'; resumeAt: Date };

/** How long to wait for a concurrency permit before asking again. */
export const CONCURRENCY_POLL_MS = 100;

/**
 * Decides one request against the budget: a pause or a spent quota (the credential's, then the tenant's share)
 * refuses it until the next reset; a full rate window or all permits held make it wait; otherwise it is granted.
 * @param nextReset the first reset of the marketplace's day after a moment
 */
export function decideAcquire(
  snapshot: BudgetSnapshot,
  limits: BudgetLimits,
  nextReset: (now: Date) => Date,
): BudgetDecision {
  const now = snapshot.now.getTime();
  if (snapshot.pausedUntil !== null && snapshot.pausedUntil.getTime() > now) {
    return { kind: 'refuse', code: 'quota_exhausted', resumeAt: snapshot.pausedUntil };
  }
  const day = currentDay(snapshot.now, snapshot.resetsAt, snapshot.usedToday, nextReset);
  if (day.used >= limits.dailyQuota) {
    return { kind: 'refuse', code: 'quota_exhausted', resumeAt: day.resetsAt };
  }
  const tenant =
    snapshot.tenant === null
      ? null
      : currentDay(snapshot.now, snapshot.tenant.resetsAt, snapshot.tenant.usedToday, nextReset);
  if (tenant !== null && snapshot.tenant !== null && tenant.used >= snapshot.tenant.share) {
    return { kind: 'refuse', code: 'tenant_quota_exhausted', resumeAt: tenant.resetsAt };
  }
  if (snapshot.rateSlotsHeld >= limits.ratePerSecond) {
    // No slot frees before the first ended request's window closes; one still in flight needs a full window more.
    const frees = snapshot.nextSlotFreesAt;
    const ms = frees === null ? RATE_WINDOW_MS : frees.getTime() - now;
    return { kind: 'wait', ms: Math.max(1, ms), reason: 'rate' };
  }
  if (snapshot.permitsHeld >= limits.maxConcurrency) {
    return { kind: 'wait', ms: CONCURRENCY_POLL_MS, reason: 'concurrency' };
  }
  return { kind: 'grant', resetsAt: day.resetsAt, tenantResetsAt: tenant?.resetsAt ?? null };
}

/** A stored day count as of `now`: zero and a new reset time once the stored day has ended. */
export function currentDay(
  now: Date,
  resetsAt: Date,
  used: number,
  nextReset: (now: Date) => Date,
): { used: number; resetsAt: Date } {
  return resetsAt.getTime() > now.getTime() ? { used, resetsAt } : { used: 0, resetsAt: nextReset(now) };
}

/**
 * A tenant's share of a credential's daily quota: `floor(dailyQuota * weight / totalWeight)`, where the total
 * counts every tenant with scheduled keywords on the marketplace (the tenant itself included). The shares of all
 * tenants never add up to more than the quota.
 */
export function tenantShare(dailyQuota: number, weight: number, totalWeight: number): number {
  if (weight <= 0 || totalWeight <= 0) {
    return 0;
  }
  return Math.floor((dailyQuota * weight) / Math.max(totalWeight, weight));
}
