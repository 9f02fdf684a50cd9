import fc from 'fast-check';
import { AttemptResult, RetryPolicy, afterAttempt, backoffMs } from './delivery.policy';

const START = Date.parse('2026-11-22T10:00:00Z');

const policy: fc.Arbitrary<RetryPolicy> = fc
  .record({
    maxAttempts: fc.integer({ min: 1, max: 12 }),
    baseMs: fc.integer({ min: 1, max: 60_000 }),
    extra: fc.integer({ min: 0, max: 3_600_000 }),
  })
  .map(({ maxAttempts, baseMs, extra }) => ({ maxAttempts, baseMs, maxMs: baseMs + extra }));

/** Failures that may pass by themselves (timeouts, 5xx, 408, 429, the breaker), then any outcome. */
const transient: fc.Arbitrary<AttemptResult> = fc.oneof(
  fc.constantFrom(408, 429, 500, 502, 503, 504).map((statusCode) => ({ kind: 'http_error' as const, statusCode })),
  fc.constantFrom('ECONNRESET', 'ETIMEDOUT').map((code) => ({ kind: 'network_error' as const, code })),
  fc.constant({ kind: 'breaker_open' as const }),
);
const permanent: fc.Arbitrary<AttemptResult> = fc.oneof(
  fc
    .constantFrom(301, 302, 400, 401, 403, 404, 410, 422)
    .map((statusCode) => ({ kind: 'http_error' as const, statusCode })),
  fc.constant({ kind: 'refused' as const, reason: 'private address' }),
);

/** Attempts a delivery with the given results until it is no longer pending; answers the attempt times and end. */
function deliver(results: readonly AttemptResult[], retry: RetryPolicy) {
  const attempts: number[] = [];
  let at = START;
  for (const result of results) {
    attempts.push(at);
    const outcome = afterAttempt(result, attempts.length, retry, new Date(at));
    if (outcome.status !== 'pending') {
      return { attempts, status: outcome.status };
    }
    at = outcome.nextAttemptAt.getTime();
  }
  return { attempts, status: 'pending' as const };
}

describe('webhook delivery retries (properties)', () => {
  it('never makes more than maxAttempts attempts, and fails for good after the last transient failure', () => {
    fc.assert(
      fc.property(policy, fc.array(transient, { minLength: 12, maxLength: 12 }), (retry, results) => {
        const { attempts, status } = deliver(results, retry);
        expect(attempts).toHaveLength(retry.maxAttempts);
        expect(status).toBe('failed');
      }),
      { numRuns: 200 },
    );
  });

  it('waits the base after the first failure, then twice as long after each one, up to the cap', () => {
    fc.assert(
      fc.property(policy, fc.array(transient, { minLength: 12, maxLength: 12 }), (retry, results) => {
        const { attempts } = deliver(results, retry);
        const waits = attempts.slice(1).map((at, i) => at - (attempts[i] ?? Number.NaN));
        expect(waits[0] ?? retry.baseMs).toBe(retry.baseMs);
        waits.slice(1).forEach((wait, i) => {
          expect(wait).toBe(Math.min(retry.maxMs, 2 * (waits[i] ?? Number.NaN)));
        });
        expect(backoffMs(1, retry)).toBe(retry.baseMs);
      }),
      { numRuns: 200 },
    );
  });

  it('stops at the first delivery or permanent refusal, whatever came before', () => {
    fc.assert(
      fc.property(
        policy,
        fc.array(transient, { maxLength: 11 }),
        fc.oneof(permanent, fc.constant({ kind: 'delivered' as const, statusCode: 204 })),
        (retry, before, last) => {
          const failures = before.slice(0, retry.maxAttempts - 1);
          const { attempts, status } = deliver([...failures, last, last], retry);
          expect(attempts).toHaveLength(failures.length + 1);
          expect(status).toBe(last.kind === 'delivered' ? 'succeeded' : 'failed');
        },
      ),
      { numRuns: 200 },
    );
  });
});
