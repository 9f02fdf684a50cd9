import { FailedAttempt, RetryPolicy, backoffMs, failureNotBefore, retryDecision } from './crawl-retry.policy';

const policy: RetryPolicy = { baseMs: 15_000, maxMs: 300_000, maxAttempts: 5 };
const requestedAt = new Date('2026-12-03T10:00:00Z');
const now = new Date('2026-12-03T10:00:30Z');

function failed(overrides: Partial<FailedAttempt> = {}): FailedAttempt {
  const attempt = overrides.attempt ?? 1;
  return {
    code: 'upstream_error',
    attempt,
    spentAttempts: attempt,
    requestedAt,
    intervalMinutes: 60,
    notBefore: null,
    ...overrides,
  };
}

describe('retryDecision', () => {
  it('given an upstream error on the first attempt, when decided, then it is retried within the first back-off', () => {
    const decision = retryDecision(failed(), now, policy, 0.5);
    expect(decision).toEqual({ retry: true, nextAttemptAt: new Date(now.getTime() + 7_500) });
  });

  it.each(['timeout', 'throttled', 'breaker_open', 'quota_exhausted'] as const)('retries %s', (code) => {
    expect(retryDecision(failed({ code }), now, policy, 0.1).retry).toBe(true);
  });

  it.each([
    'auth_failed',
    'bad_request',
    'invalid_response',
    'unknown_marketplace',
    'keyword_removed',
    'cancelled',
    'lease_lost',
  ] as const)('never retries %s', (code) => {
    expect(retryDecision(failed({ code }), now, policy, 0.1)).toEqual({ retry: false });
  });

  it('given the last allowed attempt failed, then the crawl fails for good', () => {
    expect(retryDecision(failed({ attempt: 5 }), now, policy, 0.1)).toEqual({ retry: false });
    expect(retryDecision(failed({ attempt: 4 }), now, policy, 0.1).retry).toBe(true);
  });

  it('given attempts the open breaker refused unsent, then they do not spend the attempts', () => {
    const refused = failed({ code: 'breaker_open', attempt: 9, spentAttempts: 2 });
    expect(retryDecision(refused, now, policy, 0.5).retry).toBe(true);
    expect(retryDecision({ ...refused, code: 'upstream_error', spentAttempts: 5 }, now, policy, 0.5)).toEqual({
      retry: false,
    });
  });

  it('given a removed keyword (no interval), then it is not retried', () => {
    expect(retryDecision(failed({ intervalMinutes: null }), now, policy, 0.1)).toEqual({ retry: false });
  });

  it('given the next attempt would fall after the interval, then it is not retried', () => {
    const late = new Date(requestedAt.getTime() + 59.5 * 60_000);
    expect(retryDecision(failed({ attempt: 3 }), late, policy, 0.99)).toEqual({ retry: false });
    expect(retryDecision(failed({ attempt: 3 }), late, policy, 0)).toEqual({ retry: true, nextAttemptAt: late });
  });

  it('honours the marketplace’s own resume time as a lower bound, and gives up when it ends after the interval', () => {
    const notBefore = new Date(now.getTime() + 120_000);
    expect(retryDecision(failed({ code: 'throttled', notBefore }), now, policy, 0.5)).toEqual({
      retry: true,
      nextAttemptAt: notBefore,
    });
    const midnight = new Date('2026-12-03T15:00:00Z');
    expect(retryDecision(failed({ code: 'quota_exhausted', notBefore: midnight }), now, policy, 0.5)).toEqual({
      retry: false,
    });
  });
});

describe('backoffMs', () => {
  it('doubles its cap with every attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 40].map((attempt) => backoffMs(attempt, policy, 0.999999))).toEqual([
      14_999, 29_999, 59_999, 119_999, 239_999, 299_999, 299_999,
    ]);
  });
});

describe('failureNotBefore', () => {
  it('reads a throttle’s retryAfterMs and a quota’s resumeAt, the later winning', () => {
    const resumeAt = new Date(now.getTime() + 5_000);
    expect(failureNotBefore({ retryAfterMs: 1_000 }, now)).toEqual(new Date(now.getTime() + 1_000));
    expect(failureNotBefore({ resumeAt }, now)).toEqual(resumeAt);
    expect(failureNotBefore({ retryAfterMs: 9_000, resumeAt }, now)).toEqual(new Date(now.getTime() + 9_000));
    expect(failureNotBefore(new Error('x'), now)).toBeNull();
    expect(failureNotBefore('boom', now)).toBeNull();
  });
});
