import { metricValue } from '../test/metric-value';
import { createBreaker } from './breaker';
import { HttpStatusError, isBreakerOpen } from './errors';
import { RESILIENCE_METRICS } from './metrics';
import { fullJitterDelay, retry, type RetryOptions } from './retry';

let seq = 0;

/** Deterministic options: records every requested sleep instead of waiting. */
function harness(overrides: Partial<RetryOptions> = {}): { options: RetryOptions; sleeps: number[] } {
  seq += 1;
  const sleeps: number[] = [];
  const options: RetryOptions = {
    operation: `op-${seq}`,
    baseMs: 100,
    maxMs: 1_000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
  return { options, sleeps };
}

/** fn that rejects with each error in turn, then resolves 'ok'. */
function sequence(...errors: (Error | undefined)[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    fn: async () => {
      const err = errors[calls];
      calls += 1;
      if (err !== undefined) {
        throw err;
      }
      return 'ok';
    },
    calls: () => calls,
  };
}

const attemptsOf = (operation: string, outcome: string): Promise<number> =>
  metricValue(RESILIENCE_METRICS.retryAttempts, { operation, outcome });

describe('fullJitterDelay', () => {
  it('lies in [0, min(max, base * 2^n)] for any random value', () => {
    let state = 42;
    const lcg = (): number => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let attempt = 0; attempt < 12; attempt++) {
      const cap = Math.min(2_000, 50 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delayMs = fullJitterDelay(attempt, 50, 2_000, lcg);
        expect(delayMs).toBeGreaterThanOrEqual(0);
        expect(delayMs).toBeLessThanOrEqual(cap);
      }
      expect(fullJitterDelay(attempt, 50, 2_000, () => 0)).toBe(0);
      expect(fullJitterDelay(attempt, 50, 2_000, () => 0.999_999)).toBe(cap - 1);
    }
  });
});

describe('retry', () => {
  it('retries transient failures with growing jittered delays and returns the result', async () => {
    const { options, sleeps } = harness();
    const upstream = sequence(new HttpStatusError(503), new HttpStatusError(502));

    await expect(retry(upstream.fn, options)).resolves.toBe('ok');

    expect(upstream.calls()).toBe(3);
    expect(sleeps).toEqual([50, 100]);
    expect(await attemptsOf(options.operation, 'retry')).toBe(2);
    expect(await attemptsOf(options.operation, 'success')).toBe(1);
  });

  it('gives up after 3 attempts by default, rethrowing the last error without a final sleep', async () => {
    const { options, sleeps } = harness();
    const last = new HttpStatusError(504);
    const upstream = sequence(new HttpStatusError(503), new HttpStatusError(503), last, undefined);

    await expect(retry(upstream.fn, options)).rejects.toBe(last);

    expect(upstream.calls()).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(await attemptsOf(options.operation, 'exhausted')).toBe(1);
  });

  it('does not retry a non-retryable error', async () => {
    const { options, sleeps } = harness();
    const upstream = sequence(new HttpStatusError(404));

    await expect(retry(upstream.fn, options)).rejects.toMatchObject({ status: 404 });

    expect(upstream.calls()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(await attemptsOf(options.operation, 'not_retryable')).toBe(1);
  });

  it('gives up at once, without sleeping, when the breaker opens between attempts', async () => {
    const { options, sleeps } = harness({ attempts: 5 });
    let upstreamCalls = 0;
    const breaker = createBreaker(
      'retry-open',
      async () => {
        upstreamCalls += 1;
        throw new HttpStatusError(503);
      },
      { volumeThreshold: 1 },
    );

    const rejection = await retry(() => breaker.fire(), options).catch((err: unknown) => err);
    breaker.shutdown();

    expect(isBreakerOpen(rejection)).toBe(true);
    expect(upstreamCalls).toBe(1);
    expect(sleeps).toHaveLength(1);
    expect(await attemptsOf(options.operation, 'breaker_open')).toBe(1);
  });

  it('never sleeps on an open breaker, even with a custom isRetryable that says yes', async () => {
    const { options, sleeps } = harness({ isRetryable: () => true });
    const open = Object.assign(new Error('Breaker is open'), { code: 'EOPENBREAKER' });

    await expect(retry(sequence(open).fn, options)).rejects.toBe(open);

    expect(sleeps).toEqual([]);
  });

  it('waits at least Retry-After, or the jitter when that is longer', async () => {
    const { options, sleeps } = harness({ random: () => 0.9 });
    const upstream = sequence(
      new HttpStatusError(429, { retryAfterMs: 3_000 }),
      new HttpStatusError(429, { retryAfterMs: 10 }),
    );

    await expect(retry(upstream.fn, options)).resolves.toBe('ok');

    expect(sleeps).toEqual([3_000, 180]);
  });

  it('gives up without waiting when Retry-After exceeds maxRetryAfterMs, keeping it for the caller', async () => {
    const { options, sleeps } = harness({ maxRetryAfterMs: 5_000 });
    const tooLong = new HttpStatusError(429, { retryAfterMs: 60_000 });
    const upstream = sequence(tooLong);

    await expect(retry(upstream.fn, options)).rejects.toBe(tooLong);

    expect(upstream.calls()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(await attemptsOf(options.operation, 'retry_after_exceeded')).toBe(1);
  });

  it('stops when its signal aborts during the back-off', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const { options } = harness({
      signal: controller.signal,
      sleep: async () => controller.abort(reason),
    });
    const upstream = sequence(new HttpStatusError(503), new HttpStatusError(503));

    await expect(retry(upstream.fn, options)).rejects.toBe(reason);

    expect(upstream.calls()).toBe(1);
  });

  it('uses the real sleep by default and keeps defaults for explicitly undefined options', async () => {
    const upstream = sequence(new HttpStatusError(503), new HttpStatusError(503));
    const options: RetryOptions = { operation: 'real-sleep', attempts: undefined, baseMs: 1, maxMs: 2 };

    await expect(retry(upstream.fn, options)).resolves.toBe('ok');

    expect(upstream.calls()).toBe(3);
  });

  it('rejects nonsensical options before calling fn', async () => {
    const upstream = sequence();

    await expect(retry(upstream.fn, { operation: 'bad', attempts: 0 })).rejects.toThrow(RangeError);
    await expect(retry(upstream.fn, { operation: 'bad', baseMs: 10, maxMs: 5 })).rejects.toThrow(RangeError);
    expect(upstream.calls()).toBe(0);
  });
});
