import { PurgeRequest } from './purge';

const DAY_MS = 86_400_000;

/** One data kind's retention as it stands when a purge runs (what `retention.policy.kind` answers). */
export interface KindPolicy {
  /** Days kept for a tenant without a choice of its own. */
  defaultDays: number;
  /** Tenants with a choice of their own. */
  tenants: readonly { tenantId: string; days: number }[];
}

/**
 * A cut-off of a purge request that would delete data the policy still keeps. `tenantId` is null for the
 * request's default cut-off (the one every tenant without a policy of its own falls under).
 */
export interface PurgeRefusal {
  tenantId: string | null;
  requestedCutoff: Date;
  /** The latest cut-off the floor and the current policy allow for that tenant. */
  allowedCutoff: Date;
}

/** The verdict on a purge request: run it whole, or refuse it whole (a refused purge deletes nothing). */
export type PurgeDecision = { allowed: true } | { allowed: false; refusals: PurgeRefusal[] };

/** The latest cut-off allowed for a window of `days` days under a platform floor of `floorDays` days, at `now`. */
export function allowedCutoff(now: Date, days: number, floorDays: number): Date {
  return new Date(now.getTime() - Math.max(days, floorDays) * DAY_MS);
}

/**
 * Judges a purge request against the platform floor and the policy as it stands at `now`, the moment the
 * owner purges. Every cut-off the request would apply to some tenant must be at or before that tenant's
 * allowed cut-off:
 * 1. the default cut-off, against the default policy (tenants the owner knows nothing about fall under it);
 * 2. the default cut-off again for each tenant that has a policy of its own now but no cut-off of its own in
 *    the request (it raised its retention after the request was issued);
 * 3. each tenant cut-off of the request, against that tenant's current policy (the default one when it has
 *    returned to the default since).
 * A request with any violation is refused whole: a stale or forged request must not half-run.
 */
export function decidePurge(request: PurgeRequest, policy: KindPolicy, now: Date, floorDays: number): PurgeDecision {
  const daysOf = new Map(policy.tenants.map((tenant) => [tenant.tenantId, tenant.days]));
  const listed = new Set(request.tenantCutoffs.map((tenant) => tenant.tenantId));
  const checks: { tenantId: string | null; requested: string; days: number }[] = [
    // 1.
    { tenantId: null, requested: request.cutoff, days: policy.defaultDays },
    // 2.
    ...policy.tenants
      .filter((tenant) => !listed.has(tenant.tenantId))
      .map((tenant) => ({ tenantId: tenant.tenantId, requested: request.cutoff, days: tenant.days })),
    // 3.
    ...request.tenantCutoffs.map((tenant) => ({
      tenantId: tenant.tenantId,
      requested: tenant.cutoff,
      days: daysOf.get(tenant.tenantId) ?? policy.defaultDays,
    })),
  ];
  const refusals = checks
    .map(({ tenantId, requested, days }) => ({
      tenantId,
      requestedCutoff: new Date(requested),
      allowedCutoff: allowedCutoff(now, days, floorDays),
    }))
    .filter((check) => !(check.requestedCutoff.getTime() <= check.allowedCutoff.getTime()));
  return refusals.length === 0 ? { allowed: true } : { allowed: false, refusals };
}
