import { isRetryable as isTransient, ResilienceErrorCode } from '@shelfwatch/resilience';

/** Why a marketplace call failed; also the `code` of `crawl.failed`. */
export const MarketplaceErrorCode = {
  /** The daily quota is used up; nothing is sent until `resumeAt`. */
  QuotaExhausted: 'quota_exhausted',
  /** The tenant's share of the platform credentials' daily quota is used up until `resumeAt`; nothing was sent. */
  TenantQuotaExhausted: 'tenant_quota_exhausted',
  /** The per-second rate was exceeded; wait `retryAfterMs`. */
  Throttled: 'throttled',
  /** 5xx, a network failure, or a system error code from the marketplace. */
  UpstreamError: 'upstream_error',
  /** A request (or the whole crawl) ran out of time; the request was aborted. */
  Timeout: 'timeout',
  /** The body is not the documented contract. */
  InvalidResponse: 'invalid_response',
  /** Credentials missing, wrong, or the API not enabled for them (401/403). */
  AuthFailed: 'auth_failed',
  /** The marketplace refused our parameters (400, Naver SE0x); resending cannot help. */
  BadRequest: 'bad_request',
  /** The marketplace's circuit breaker is open; no request was sent. */
  BreakerOpen: 'breaker_open',
  /** The caller aborted (shutdown); says nothing about the marketplace. */
  Cancelled: 'cancelled',
} as const;

/** One of {@link MarketplaceErrorCode}. */
export type MarketplaceErrorCode = (typeof MarketplaceErrorCode)[keyof typeof MarketplaceErrorCode];

/** Details of a {@link MarketplaceError}. */
export interface MarketplaceErrorOptions {
  message?: string;
  /** The HTTP status the marketplace answered with (200 for an error body sent with 200). */
  httpStatus?: number;
  /** The marketplace's own error code, e.g. Naver `010` or `SE01`. */
  upstreamCode?: string;
  /** How long to wait before the next request (throttled). */
  retryAfterMs?: number;
  /** When requests may be sent again (quota_exhausted). */
  resumeAt?: Date;
  cause?: unknown;
}

/**
 * HTTP-like status per code, so libs/resilience's `isRetryable`/`isClientError` classify the error sensibly
 * even without this module's own predicates (the observed status is in `httpStatus`).
 */
const STATUS_OF: Record<MarketplaceErrorCode, number | undefined> = {
  quota_exhausted: 429,
  tenant_quota_exhausted: 429,
  throttled: 429,
  upstream_error: 502,
  timeout: 408,
  invalid_response: 502,
  auth_failed: 401,
  bad_request: 400,
  breaker_open: undefined,
  cancelled: undefined,
};

/** A failed marketplace call, typed by {@link MarketplaceErrorCode}. */
export class MarketplaceError extends Error {
  override readonly name = 'MarketplaceError';
  /** HTTP-like status for libs/resilience classification (see {@link STATUS_OF}). */
  readonly status: number | undefined;
  readonly httpStatus: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly resumeAt: Date | undefined;

  constructor(
    readonly code: MarketplaceErrorCode,
    options: MarketplaceErrorOptions = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.httpStatus = options.httpStatus;
    this.status = code === 'upstream_error' && (options.httpStatus ?? 0) >= 500 ? options.httpStatus : STATUS_OF[code];
    this.upstreamCode = options.upstreamCode;
    this.retryAfterMs = options.retryAfterMs;
    this.resumeAt = options.resumeAt;
  }

  /** The daily quota is used up until `resumeAt`. */
  static quotaExhausted(resumeAt: Date, options: Omit<MarketplaceErrorOptions, 'resumeAt'> = {}): MarketplaceError {
    return new MarketplaceError('quota_exhausted', { ...options, resumeAt });
  }

  /** Throttled: retry after `retryAfterMs`. */
  static throttled(
    retryAfterMs: number,
    options: Omit<MarketplaceErrorOptions, 'retryAfterMs'> = {},
  ): MarketplaceError {
    return new MarketplaceError('throttled', { ...options, retryAfterMs });
  }

  /**
   * Whether a later attempt (a redelivery, the next scheduled crawl) may succeed: for `crawl.failed.retryable`.
   * A tenant's spent share is permanent for the day.
   */
  get retryable(): boolean {
    return this.code !== 'auth_failed' && this.code !== 'bad_request' && this.code !== 'tenant_quota_exhausted';
  }
}

/** Type guard for {@link MarketplaceError}. */
export function isMarketplaceError(err: unknown): err is MarketplaceError {
  return err instanceof MarketplaceError;
}

/**
 * Whether to try again within this call (retry with back-off): throttling, upstream errors, timeouts and
 * transient network errors. Never quota, auth, bad requests, invalid bodies, an open breaker or a cancel.
 */
export function isRetryableNow(err: unknown): boolean {
  if (!isMarketplaceError(err)) {
    return isTransient(err);
  }
  return err.code === 'throttled' || err.code === 'upstream_error' || err.code === 'timeout';
}

/**
 * Breaker `errorFilter`: true for errors that say nothing about the marketplace's health, so they reject to
 * the caller without counting as failures (bad request, auth, quota, caller cancel; other 4xx but 408/429).
 */
export function isNotUpstreamFailure(err: unknown): boolean {
  if (isMarketplaceError(err)) {
    const code = err.code;
    return (
      code === 'bad_request' ||
      code === 'auth_failed' ||
      code === 'quota_exhausted' ||
      code === 'tenant_quota_exhausted' ||
      code === 'cancelled'
    );
  }
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Maps an HTTP status without a recognised marketplace error code.
 * @returns undefined for 1xx–3xx (not an error)
 */
export function marketplaceErrorFromStatus(
  status: number,
  options: MarketplaceErrorOptions & { defaultRetryAfterMs: number },
): MarketplaceError | undefined {
  const { defaultRetryAfterMs, ...rest } = options;
  const details = { ...rest, httpStatus: status, message: rest.message ?? `HTTP ${status}` };
  if (status < 400) {
    return undefined;
  }
  if (status === 401 || status === 403) {
    return new MarketplaceError('auth_failed', details);
  }
  if (status === 408) {
    return new MarketplaceError('timeout', details);
  }
  // A bare 429 is ambiguous (per-second or daily); treating it as throttling costs a few retries, while
  // wrongly pausing until midnight would stop every crawl for hours.
  if (status === 429) {
    return MarketplaceError.throttled(rest.retryAfterMs ?? defaultRetryAfterMs, details);
  }
  return new MarketplaceError(status < 500 ? 'bad_request' : 'upstream_error', details);
}

function errorCodeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/**
 * Turns anything a marketplace call can reject with into a {@link MarketplaceError}: opossum's breaker
 * errors, aborts (a `TimeoutError` reason is a timeout, any other reason a cancel), network errors.
 * @param signal the caller's signal; when it has aborted, its reason decides the code
 */
export function toMarketplaceError(err: unknown, signal?: AbortSignal): MarketplaceError {
  if (signal?.aborted === true) {
    const reason: unknown = signal.reason;
    // Not `instanceof Error`: a DOMException may come from another realm (Jest's VM context).
    const timedOut =
      typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
    return new MarketplaceError(timedOut ? 'timeout' : 'cancelled', {
      message: 'aborted by the caller',
      cause: reason,
    });
  }
  if (isMarketplaceError(err)) {
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  switch (errorCodeOf(err)) {
    case ResilienceErrorCode.BreakerOpen:
      return new MarketplaceError('breaker_open', { message, cause: err });
    case ResilienceErrorCode.BreakerTimeout:
      return new MarketplaceError('timeout', { message: `request timed out: ${message}`, cause: err });
    case ResilienceErrorCode.BreakerShutdown:
      return new MarketplaceError('cancelled', { message, cause: err });
    default:
      return new MarketplaceError('upstream_error', { message, cause: err });
  }
}

/**
 * A request that got no answer: `cancelled` when `signal` aborted (whoever aborted, a breaker timeout, the crawl's
 * deadline or a shutdown, decides what it means: see {@link toMarketplaceError}), else `upstream_error`.
 * @param marketplace named in the message, e.g. `Naver`
 */
export function requestFailure(marketplace: string, err: unknown, signal: AbortSignal): MarketplaceError {
  if (signal.aborted) {
    return new MarketplaceError('cancelled', { message: 'request aborted', cause: signal.reason });
  }
  // fetch's own message ("fetch failed") never holds the URL, which may carry credentials (Rakuten's query).
  const message = err instanceof Error ? err.message : String(err);
  return new MarketplaceError('upstream_error', { message: `${marketplace} request failed: ${message}`, cause: err });
}

/** A response body as JSON; undefined when it is not JSON (a gateway's HTML page, a truncated body). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
