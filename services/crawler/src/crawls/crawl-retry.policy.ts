/** Pure retry rules of a failed crawl attempt: whether the same run is tried again, and when. */
import { CrawlFailureCode } from './keyword-crawler.port';

/** Back-off of retried crawl attempts (from `CRAWL_RETRY_*`). */
export interface RetryPolicy {
  /** Cap of the first back-off; doubles with every attempt. */
  baseMs: number;
  /** Upper bound of any back-off. */
  maxMs: number;
  /**
   * Attempts of one crawl that reach the marketplace, the first included (1: never retried). Attempts the
   * open breaker refused (no request sent) do not count; the keyword's interval still bounds them.
   */
  maxAttempts: number;
}

/** What one failed attempt leads to. */
export type RetryDecision = { retry: true; nextAttemptAt: Date } | { retry: false };

/**
 * Failures a later attempt of the same crawl may get past. Auth, bad requests, invalid bodies, an unknown
 * marketplace, a removed keyword, a cancel or a lost lease are not retried (`tenant_quota_exhausted` neither).
 */
const RETRIED: ReadonlySet<CrawlFailureCode> = new Set([
  'timeout',
  'upstream_error',
  'throttled',
  'breaker_open',
  'quota_exhausted',
]);

/** Whether the attempt made no request (the open breaker refused it): it spends no attempt. */
export function refusedUnsent(code: CrawlFailureCode): boolean {
  return code === 'breaker_open';
}

/** Whether a failure of this code may be retried at all (before attempts and the interval are looked at). */
export function isRetriedCode(code: CrawlFailureCode): boolean {
  return RETRIED.has(code);
}

/** Full-jitter exponential back-off of the attempt that just failed (1-based): `random × min(max, base × 2^(n-1))`. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random * cap);
}

/** A failed attempt as the retry rules see it. */
export interface FailedAttempt {
  code: CrawlFailureCode;
  /** 1-based number of the attempt that failed (every claim counts; sets the back-off). */
  attempt: number;
  /** Attempts so far that reached the marketplace, this one included unless the breaker refused it. */
  spentAttempts: number;
  /** When the crawl (its first attempt) was requested. */
  requestedAt: Date;
  /** The keyword's interval; null when the keyword is gone (never retried). */
  intervalMinutes: number | null;
  /** The marketplace's own earliest next request (throttled `retryAfterMs`, quota `resumeAt`); a lower bound. */
  notBefore: Date | null;
}

/**
 * Decides whether a failed attempt is tried again: only a retried code, only while attempts that reached the
 * marketplace remain (see {@link RetryPolicy.maxAttempts}), and only
 * if the next attempt (back-off, but never before `notBefore`) still falls within the keyword's interval
 * from when the crawl was requested; otherwise the next scheduled crawl does better, and the run fails.
 * `random` is in [0, 1).
 */
export function retryDecision(failed: FailedAttempt, now: Date, policy: RetryPolicy, random: number): RetryDecision {
  if (!isRetriedCode(failed.code) || failed.intervalMinutes === null || failed.spentAttempts >= policy.maxAttempts) {
    return { retry: false };
  }
  const backoffAt = now.getTime() + backoffMs(failed.attempt, policy, random);
  const at = Math.max(backoffAt, failed.notBefore?.getTime() ?? 0);
  const windowEnd = failed.requestedAt.getTime() + failed.intervalMinutes * 60_000;
  return at <= windowEnd ? { retry: true, nextAttemptAt: new Date(at) } : { retry: false };
}

/** The earliest next request a failure names: a throttle's `retryAfterMs` from `now`, or a quota's `resumeAt`. */
export function failureNotBefore(error: unknown, now: Date): Date | null {
  if (typeof error !== 'object' || error === null) {
    return null;
  }
  const { retryAfterMs, resumeAt } = error as { retryAfterMs?: unknown; resumeAt?: unknown };
  const candidates: number[] = [];
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs)) {
    candidates.push(now.getTime() + Math.max(0, retryAfterMs));
  }
  if (resumeAt instanceof Date && !Number.isNaN(resumeAt.getTime())) {
    candidates.push(resumeAt.getTime());
  }
  return candidates.length > 0 ? new Date(Math.max(...candidates)) : null;
}
