import fc from 'fast-check';
import { CRAWL_FAILURE_CODES } from './keyword-crawler.port';
import { backoffMs, isRetriedCode, retryDecision } from './crawl-retry.policy';

const policyArb = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 60_000 }),
    extraMs: fc.integer({ min: 0, max: 600_000 }),
    maxAttempts: fc.integer({ min: 1, max: 10 }),
  })
  .map(({ baseMs, extraMs, maxAttempts }) => ({ baseMs, maxMs: baseMs + extraMs, maxAttempts }));

const attemptArb = fc.record({
  code: fc.constantFrom(...CRAWL_FAILURE_CODES),
  attempt: fc.integer({ min: 1, max: 12 }),
  spentAttempts: fc.integer({ min: 0, max: 12 }),
  requestedAt: fc.integer({ min: 0, max: 1_000_000_000 }),
  elapsedMs: fc.integer({ min: 0, max: 3 * 3_600_000 }),
  intervalMinutes: fc.option(fc.integer({ min: 1, max: 1_440 }), { nil: null }),
  notBeforeInMs: fc.option(fc.integer({ min: -60_000, max: 6 * 3_600_000 }), { nil: null }),
  random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
});

describe('crawl retry rules (properties)', () => {
  it('a retry is never scheduled in the past, before the marketplace’s resume time, or after the interval', () => {
    fc.assert(
      fc.property(policyArb, attemptArb, (policy, a) => {
        const now = new Date(a.requestedAt + a.elapsedMs);
        const notBefore = a.notBeforeInMs === null ? null : new Date(now.getTime() + a.notBeforeInMs);
        const failed = { ...a, requestedAt: new Date(a.requestedAt), notBefore };
        const decision = retryDecision(failed, now, policy, a.random);
        if (!decision.retry) {
          return;
        }
        const at = decision.nextAttemptAt.getTime();
        expect(at).toBeGreaterThanOrEqual(now.getTime());
        expect(at).toBeGreaterThanOrEqual(notBefore?.getTime() ?? 0);
        expect(at).toBeLessThanOrEqual(a.requestedAt + (a.intervalMinutes ?? 0) * 60_000);
        expect(at - now.getTime()).toBeLessThanOrEqual(
          Math.max(policy.maxMs, (notBefore?.getTime() ?? 0) - now.getTime()),
        );
      }),
    );
  });

  it('only retried codes are retried, and never once the attempts are spent', () => {
    fc.assert(
      fc.property(policyArb, attemptArb, (policy, a) => {
        const now = new Date(a.requestedAt + a.elapsedMs);
        const decision = retryDecision(
          { ...a, requestedAt: new Date(a.requestedAt), notBefore: null },
          now,
          policy,
          a.random,
        );
        if (decision.retry) {
          expect(isRetriedCode(a.code)).toBe(true);
          expect(a.spentAttempts).toBeLessThan(policy.maxAttempts);
          expect(a.intervalMinutes).not.toBeNull();
        }
      }),
    );
  });

  it('a run retried again and again reaches the marketplace at most maxAttempts times and stays within its interval', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 1, max: 240 }),
        fc.array(
          fc.record({ random: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), refused: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (policy, intervalMinutes, steps) => {
          const requestedAt = new Date(0);
          let now = requestedAt;
          let attempt = 1;
          let spent = 0;
          // Refused attempts with a zero back-off could go on until the interval ends: bound the walk.
          for (let guard = 0; guard < 500; guard++) {
            const step = steps[(attempt - 1) % steps.length] ?? { random: 0, refused: false };
            spent += step.refused ? 0 : 1;
            const code = step.refused ? ('breaker_open' as const) : ('upstream_error' as const);
            const failed = { code, attempt, spentAttempts: spent, requestedAt, intervalMinutes, notBefore: null };
            const decision = retryDecision(failed, now, policy, step.random);
            if (!decision.retry) {
              break;
            }
            expect(decision.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
            now = decision.nextAttemptAt;
            attempt += 1;
          }
          expect(spent).toBeLessThanOrEqual(policy.maxAttempts);
          expect(now.getTime()).toBeLessThanOrEqual(intervalMinutes * 60_000);
        },
      ),
    );
  });

  it('back-off stays within [0, min(max, base × 2^(n-1))) and its cap never shrinks with more attempts', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), (policy, attempt) => {
        const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
        const highest = backoffMs(attempt, policy, 1 - Number.EPSILON);
        expect(backoffMs(attempt, policy, 0)).toBe(0);
        expect(highest).toBeLessThan(Math.max(cap, 1));
        expect(backoffMs(attempt + 1, policy, 1 - Number.EPSILON)).toBeGreaterThanOrEqual(highest);
      }),
    );
  });
});
