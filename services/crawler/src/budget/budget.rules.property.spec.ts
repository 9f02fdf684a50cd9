import fc from 'fast-check';
import { BudgetLimits, BudgetSnapshot, RATE_WINDOW_MS, currentDay, decideAcquire, tenantShare } from './budget.rules';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-12-03T14:59:50Z');
/** Midnight in Seoul is 15:00Z. */
const nextReset = (now: Date): Date =>
  new Date(Math.floor((now.getTime() - 15 * 3_600_000) / DAY_MS + 1) * DAY_MS + 15 * 3_600_000);

interface Model {
  /** Granted requests: when granted, when they reached the marketplace, when they ended. */
  requests: { grant: number; arrival: number; end: number; tenant: number; day: number }[];
  used: number;
  resetsAt: number;
  tenants: Map<number, { used: number; resetsAt: number }>;
}

interface Attempt {
  gapMs: number;
  tenant: number;
  /** How long the request takes, and where in it it reaches the marketplace (0..1): slow, jittery networks. */
  durationMs: number;
  arrivalAt: number;
}

/** Replays requests (at increasing times, by tenant) through `decideAcquire` as the store applies its grants. */
function replay(attempts: Attempt[], limits: BudgetLimits, shares: number[]): Model['requests'] {
  const model: Model = { requests: [], used: 0, resetsAt: 0, tenants: new Map() };
  let now = T0;
  for (const attempt of attempts) {
    now += attempt.gapMs;
    const at = new Date(now);
    const slots = model.requests.filter((request) => request.end > now - RATE_WINDOW_MS);
    const ended = slots.filter((request) => request.end <= now);
    const tenant = model.tenants.get(attempt.tenant) ?? { used: 0, resetsAt: 0 };
    const snapshot: BudgetSnapshot = {
      now: at,
      resetsAt: new Date(model.resetsAt),
      usedToday: model.used,
      pausedUntil: null,
      rateSlotsHeld: slots.length,
      nextSlotFreesAt:
        ended.length > 0 ? new Date(Math.min(...ended.map((request) => request.end)) + RATE_WINDOW_MS) : null,
      permitsHeld: slots.length - ended.length,
      tenant: { usedToday: tenant.used, resetsAt: new Date(tenant.resetsAt), share: shares[attempt.tenant] ?? 0 },
    };
    const decision = decideAcquire(snapshot, limits, nextReset);
    if (decision.kind === 'grant') {
      const day = currentDay(at, new Date(model.resetsAt), model.used, nextReset);
      const tenantDay = currentDay(at, new Date(tenant.resetsAt), tenant.used, nextReset);
      model.used = day.used + 1;
      model.resetsAt = day.resetsAt.getTime();
      model.tenants.set(attempt.tenant, { used: tenantDay.used + 1, resetsAt: tenantDay.resetsAt.getTime() });
      model.requests.push({
        grant: now,
        arrival: now + Math.floor(attempt.durationMs * attempt.arrivalAt),
        end: now + attempt.durationMs,
        tenant: attempt.tenant,
        day: day.resetsAt.getTime(),
      });
    }
  }
  return model.requests;
}

const scenario = fc.record({
  limits: fc.record({
    ratePerSecond: fc.integer({ min: 1, max: 10 }),
    maxConcurrency: fc.integer({ min: 1, max: 8 }),
    dailyQuota: fc.integer({ min: 1, max: 60 }),
  }),
  weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
  attempts: fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: 700 }),
      tenant: fc.nat(3),
      durationMs: fc.integer({ min: 1, max: 3_000 }),
      arrivalAt: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { maxLength: 300 },
  ),
});

describe('shared budget rules', () => {
  it('lets no one-second window at the marketplace see more than the rate, however late requests arrive, nor a day more than the quota or a share', () => {
    fc.assert(
      fc.property(scenario, ({ limits, weights, attempts }) => {
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        const shares = weights.map((weight) => tenantShare(limits.dailyQuota, weight, total));
        const known = attempts.filter((attempt) => attempt.tenant < weights.length);
        const granted = replay(known, limits, shares);
        for (const { arrival } of granted) {
          const window = granted.filter(
            (other) => other.arrival >= arrival && other.arrival < arrival + RATE_WINDOW_MS,
          );
          expect(window.length).toBeLessThanOrEqual(limits.ratePerSecond);
          const inFlight = granted.filter((other) => other.grant <= arrival && other.end > arrival);
          expect(inFlight.length).toBeLessThanOrEqual(limits.maxConcurrency);
        }
        for (const day of new Set(granted.map((grant) => grant.day))) {
          const ofDay = granted.filter((grant) => grant.day === day);
          expect(ofDay.length).toBeLessThanOrEqual(limits.dailyQuota);
          weights.forEach((_, tenant) =>
            expect(ofDay.filter((grant) => grant.tenant === tenant).length).toBeLessThanOrEqual(shares[tenant] ?? 0),
          );
        }
      }),
    );
  });

  it('gives shares in proportion to the weights that never add up to more than the quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 50 }),
        (quota, weights) => {
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          const shares = weights.map((weight) => tenantShare(quota, weight, total));
          expect(shares.reduce((sum, share) => sum + share, 0)).toBeLessThanOrEqual(quota);
          shares.forEach((share, i) => {
            const exact = (quota * (weights[i] ?? 0)) / total;
            expect(share).toBeLessThanOrEqual(exact);
            expect(share).toBeGreaterThan(exact - 1);
          });
        },
      ),
    );
  });
});

describe('decideAcquire', () => {
  const limits = { ratePerSecond: 5, maxConcurrency: 2, dailyQuota: 100 };
  const now = new Date('2026-12-03T10:00:00.500Z');
  const fresh: BudgetSnapshot = {
    now,
    resetsAt: new Date('2026-12-03T15:00:00Z'),
    usedToday: 0,
    pausedUntil: null,
    rateSlotsHeld: 0,
    nextSlotFreesAt: null,
    permitsHeld: 0,
    tenant: { usedToday: 0, resetsAt: new Date('2026-12-03T15:00:00Z'), share: 10 },
  };

  it('refuses while paused, until the pause ends', () => {
    const pausedUntil = new Date('2026-12-03T15:00:00Z');
    expect(decideAcquire({ ...fresh, pausedUntil }, limits, nextReset)).toEqual({
      kind: 'refuse',
      code: 'quota_exhausted',
      resumeAt: pausedUntil,
    });
  });

  it('refuses at the quota until the reset, and counts from zero once the reset has passed', () => {
    expect(decideAcquire({ ...fresh, usedToday: 100 }, limits, nextReset)).toMatchObject({
      kind: 'refuse',
      code: 'quota_exhausted',
      resumeAt: fresh.resetsAt,
    });
    const yesterday = { ...fresh, usedToday: 100, resetsAt: new Date('2026-12-02T15:00:00Z') };
    expect(decideAcquire(yesterday, limits, nextReset)).toMatchObject({ kind: 'grant', resetsAt: fresh.resetsAt });
  });

  it("refuses a tenant at its share with tenant_quota_exhausted; a tenant's own credentials have no share", () => {
    const spent = { ...fresh, tenant: { usedToday: 10, resetsAt: fresh.resetsAt, share: 10 } };
    expect(decideAcquire(spent, limits, nextReset)).toMatchObject({ kind: 'refuse', code: 'tenant_quota_exhausted' });
    expect(decideAcquire({ ...spent, tenant: null }, limits, nextReset)).toMatchObject({ kind: 'grant' });
  });

  it('waits for the first ended request to leave the window, a whole window while all are in flight, or for a permit', () => {
    const full = { ...fresh, rateSlotsHeld: 5, nextSlotFreesAt: new Date(now.getTime() + 400), permitsHeld: 1 };
    expect(decideAcquire(full, limits, nextReset)).toEqual({ kind: 'wait', reason: 'rate', ms: 400 });
    expect(decideAcquire({ ...full, nextSlotFreesAt: null }, limits, nextReset)).toEqual({
      kind: 'wait',
      reason: 'rate',
      ms: RATE_WINDOW_MS,
    });
    expect(decideAcquire({ ...fresh, rateSlotsHeld: 2, permitsHeld: 2 }, limits, nextReset)).toMatchObject({
      kind: 'wait',
      reason: 'concurrency',
    });
  });
});
