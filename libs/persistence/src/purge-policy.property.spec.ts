import fc from 'fast-check';
import { PurgeRequest } from './purge';
import { KindPolicy, allowedCutoff, decidePurge } from './purge-policy';

const DAY_MS = 86_400_000;
const TENANTS = ['t-1', 't-2', 't-3'];
/** A tenant neither the policy nor the request names: it falls under the default. */
const STRANGER = 't-unknown';

const days = fc.integer({ min: 1, max: 400 });
const floorDays = fc.integer({ min: 0, max: 60 });
const now = fc.date({
  min: new Date('2020-01-01T00:00:00Z'),
  max: new Date('2040-01-01T00:00:00Z'),
  noInvalidDate: true,
});
/** At most one policy per tenant, as the policy store keeps them. */
const policy: fc.Arbitrary<KindPolicy> = fc.record({
  defaultDays: days,
  tenants: fc.uniqueArray(fc.record({ tenantId: fc.constantFrom(...TENANTS), days }), {
    selector: (tenant) => tenant.tenantId,
    maxLength: TENANTS.length,
  }),
});
/** Changes to a policy between a request's issue and its purge: a tenant's new days, or back to the default. */
interface PolicyChanges {
  defaultDays: number | null;
  tenants: { tenantId: string; days: number | null }[];
}
const changes: fc.Arbitrary<PolicyChanges> = fc.record({
  defaultDays: fc.option(days, { freq: 4 }),
  tenants: fc.uniqueArray(fc.record({ tenantId: fc.constantFrom(...TENANTS), days: fc.option(days) }), {
    selector: (tenant) => tenant.tenantId,
    maxLength: 2,
  }),
});
/** How a request reaches the owner: issued some time before from the policy of then, perhaps forged on the way. */
const delivery = fc.record({
  lagMs: fc.integer({ min: 0, max: 2 * DAY_MS }),
  forgedShiftMs: fc.option(fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }), { freq: 3 }),
});

function changed(kind: KindPolicy, change: PolicyChanges): KindPolicy {
  const tenants = new Map(kind.tenants.map((tenant) => [tenant.tenantId, tenant.days]));
  for (const tenant of change.tenants) {
    if (tenant.days === null) {
      tenants.delete(tenant.tenantId);
    } else {
      tenants.set(tenant.tenantId, tenant.days);
    }
  }
  return {
    defaultDays: change.defaultDays ?? kind.defaultDays,
    tenants: [...tenants].map(([tenantId, tenantDays]) => ({ tenantId, days: tenantDays })),
  };
}

/** The request the retention service issues from `issued` at `at - lag` (its sweep), as the owner receives it. */
function requestFrom(
  issued: KindPolicy,
  at: Date,
  floor: number,
  { lagMs, forgedShiftMs }: { lagMs: number; forgedShiftMs: number | null },
): PurgeRequest {
  const then = new Date(at.getTime() - lagMs);
  return {
    cutoff: new Date(allowedCutoff(then, issued.defaultDays, floor).getTime() + (forgedShiftMs ?? 0)).toISOString(),
    tenantCutoffs: issued.tenants.map((tenant) => ({
      tenantId: tenant.tenantId,
      cutoff: allowedCutoff(then, tenant.days, floor).toISOString(),
    })),
    batchSize: 100,
    pauseMs: 0,
  };
}

/** The cut-off the purge would apply to a tenant's rows: its own in the request, else the request's default. */
function appliedCutoff(purge: PurgeRequest, tenantId: string): number {
  return Date.parse(purge.tenantCutoffs.find((tenant) => tenant.tenantId === tenantId)?.cutoff ?? purge.cutoff);
}

/** The window a tenant keeps now: its own policy, else the default; never shorter than the floor. */
function windowStart(at: Date, kind: KindPolicy, tenantId: string, floor: number): number {
  const own = kind.tenants.find((tenant) => tenant.tenantId === tenantId)?.days ?? kind.defaultDays;
  return at.getTime() - Math.max(own, floor) * DAY_MS;
}

describe('purge guard (properties)', () => {
  it('lets a purge run only when no tenant’s cut-off falls inside its window or the floor, and refuses it otherwise', () => {
    fc.assert(
      fc.property(now, policy, changes, delivery, floorDays, (at, issued, change, via, floor) => {
        const purge = requestFrom(issued, at, floor, via);
        const current = changed(issued, change);
        const decision = decidePurge(purge, current, at, floor);
        // A row is purged when strictly older than its cut-off: a cut-off after the window start reaches inside.
        const inside = [...TENANTS, STRANGER].filter(
          (tenantId) => appliedCutoff(purge, tenantId) > windowStart(at, current, tenantId, floor),
        );
        expect({ allowed: decision.allowed, inside }).toEqual({ allowed: inside.length === 0, inside });
      }),
      { numRuns: 200 },
    );
  });

  it('names in its refusals only cut-offs inside a window, each with the allowed cut-off of that window', () => {
    fc.assert(
      fc.property(now, policy, changes, delivery, floorDays, (at, issued, change, via, floor) => {
        const current = changed(issued, change);
        const decision = decidePurge(requestFrom(issued, at, floor, via), current, at, floor);
        for (const refusal of decision.allowed ? [] : decision.refusals) {
          const tenantId = refusal.tenantId ?? STRANGER;
          expect(refusal.allowedCutoff.getTime()).toBe(windowStart(at, current, tenantId, floor));
          expect(refusal.requestedCutoff.getTime()).toBeGreaterThan(refusal.allowedCutoff.getTime());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('runs a request computed from the policy as it stands, up to the exact boundary', () => {
    fc.assert(
      fc.property(now, policy, floorDays, (at, kind, floor) => {
        const purge: PurgeRequest = {
          cutoff: allowedCutoff(at, kind.defaultDays, floor).toISOString(),
          tenantCutoffs: kind.tenants.map((tenant) => ({
            tenantId: tenant.tenantId,
            cutoff: allowedCutoff(at, tenant.days, floor).toISOString(),
          })),
          batchSize: 100,
          pauseMs: 0,
        };
        expect(decidePurge(purge, kind, at, floor)).toEqual({ allowed: true });
      }),
      { numRuns: 100 },
    );
  });
});
