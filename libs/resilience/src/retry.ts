import { setTimeout as delay } from 'node:timers/promises';
import { isBreakerOpen, isRetryable, retryAfterOf } from './errors';
import { type RetryAttemptOutcome, retryAttemptsCounter } from './metrics';

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Metrics label, e.g. `'crawler.search-api'`. */
  operation: string;
  /** Total attempts including the first; default 3 (one logical call costs at most 3 upstream calls). */
  attempts?: number;
  /** Back-off base in ms; default 200. */
  baseMs?: number;
  /** Back-off cap in ms; default 5000. */
  maxMs?: number;
  /**
   * Longest `Retry-After` we wait in-process; default 10000. A longer one gives up at once so the caller can
   * reschedule (e.g. nak the message with that delay) instead of holding a worker.
   */
  maxRetryAfterMs?: number;
  /** Uniform random in [0, 1); default Math.random. */
  random?: () => number;
  /** Waits ms (rejecting when `signal` aborts); default node:timers/promises setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops retrying (e.g. on shutdown); the pending wait rejects with the abort reason. */
  signal?: AbortSignal;
  /** Overrides the default classification {@link isRetryable}; open breakers are never retried regardless. */
  isRetryable?: (err: unknown) => boolean;
}

/** Defaults applied by {@link retry}. */
export const DEFAULT_RETRY_OPTIONS = { attempts: 3, baseMs: 200, maxMs: 5_000, maxRetryAfterMs: 10_000 } as const;

type ResolvedRetryOptions = Required<Omit<RetryOptions, 'signal'>> & Pick<RetryOptions, 'signal'>;

type RetryDecision = { outcome: 'retry'; delayMs: number } | { outcome: Exclude<RetryAttemptOutcome, 'retry'> };

/**
 * "Full jitter" back-off (AWS Architecture Blog, Brooker): uniform in [0, min(maxMs, baseMs * 2^attempt)].
 * @param attempt zero-based retry index (0 before the first retry)
 * @param random uniform in [0, 1)
 */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

function resolveOptions(options: RetryOptions): ResolvedRetryOptions {
  // `??` rather than a spread, so an explicit `undefined` (common with optional config) keeps the default.
  const resolved: ResolvedRetryOptions = {
    operation: options.operation,
    attempts: options.attempts ?? DEFAULT_RETRY_OPTIONS.attempts,
    baseMs: options.baseMs ?? DEFAULT_RETRY_OPTIONS.baseMs,
    maxMs: options.maxMs ?? DEFAULT_RETRY_OPTIONS.maxMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY_OPTIONS.maxRetryAfterMs,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })),
    signal: options.signal,
    isRetryable: options.isRetryable ?? isRetryable,
  };
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) {
    throw new RangeError(`retry(${options.operation}): attempts must be a positive integer`);
  }
  if (resolved.baseMs < 0 || resolved.maxMs < resolved.baseMs || resolved.maxRetryAfterMs < 0) {
    throw new RangeError(`retry(${options.operation}): need 0 <= baseMs <= maxMs and maxRetryAfterMs >= 0`);
  }
  return resolved;
}

function decide(err: unknown, attempt: number, options: ResolvedRetryOptions): RetryDecision {
  // An open breaker is checked first: it already knows the upstream is down, waiting here helps nobody.
  if (isBreakerOpen(err)) {
    return { outcome: 'breaker_open' };
  }
  if (!options.isRetryable(err)) {
    return { outcome: 'not_retryable' };
  }
  if (attempt >= options.attempts) {
    return { outcome: 'exhausted' };
  }
  const retryAfterMs = retryAfterOf(err) ?? 0;
  if (retryAfterMs > options.maxRetryAfterMs) {
    return { outcome: 'retry_after_exceeded' };
  }
  const jitter = fullJitterDelay(attempt - 1, options.baseMs, options.maxMs, options.random);
  return { outcome: 'retry', delayMs: Math.max(jitter, retryAfterMs) };
}

/**
 * Calls `fn` until it succeeds, with full-jitter exponential back-off between attempts. Wrap it around a
 * breaker (each attempt one `fire`), never inside one. Gives up, rethrowing the last error, on an open
 * breaker, a non-retryable error, the last attempt, or a `retryAfterMs` above `maxRetryAfterMs`.
 * @param fn receives the 1-based attempt number
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const resolved = resolveOptions(options);
  const attempts = retryAttemptsCounter();
  for (let attempt = 1; ; attempt++) {
    resolved.signal?.throwIfAborted();
    try {
      const result = await fn(attempt);
      attempts.inc({ operation: resolved.operation, outcome: 'success' });
      return result;
    } catch (err) {
      const decision = decide(err, attempt, resolved);
      attempts.inc({ operation: resolved.operation, outcome: decision.outcome });
      if (decision.outcome !== 'retry') {
        throw err;
      }
      await resolved.sleep(decision.delayMs, resolved.signal);
    }
  }
}
