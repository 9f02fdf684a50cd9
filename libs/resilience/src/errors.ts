/** Epoch milliseconds; injected so Retry-After dates are parsed deterministically in tests. */
export type Clock = () => number;

/** Error codes this library produces or recognises (the breaker ones are opossum's). */
export const ResilienceErrorCode = {
  /** The breaker is open (or half-open with its probe in flight) and short-circuited the call. */
  BreakerOpen: 'EOPENBREAKER',
  /** The breaker's timeout elapsed; the action's AbortSignal has been aborted. */
  BreakerTimeout: 'ETIMEDOUT',
  /** The breaker's `capacity` (concurrency limit) is exhausted. */
  BreakerSaturated: 'ESEMLOCKED',
  /** The breaker has been shut down. */
  BreakerShutdown: 'ESHUTDOWN',
  /** The upstream answered with a non-success HTTP status. */
  HttpStatus: 'EHTTPSTATUS',
} as const;

/** One of {@link ResilienceErrorCode}. */
export type ResilienceErrorCode = (typeof ResilienceErrorCode)[keyof typeof ResilienceErrorCode];

/** The error opossum rejects with when the breaker short-circuits a call. */
export type BreakerOpenError = Error & { code: typeof ResilienceErrorCode.BreakerOpen };

/** Options of {@link HttpStatusError}. */
export interface HttpStatusErrorOptions {
  message?: string;
  /** How long the upstream asked us to wait (already parsed from `Retry-After`). */
  retryAfterMs?: number;
  url?: string;
  cause?: unknown;
}

/** A response with a non-success status, thrown by HTTP adapters so breakers and retries can classify it. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly code = ResilienceErrorCode.HttpStatus;
  readonly retryAfterMs: number | undefined;
  readonly url: string | undefined;

  constructor(
    readonly status: number,
    options: HttpStatusErrorOptions = {},
  ) {
    super(options.message ?? `HTTP ${status}${options.url === undefined ? '' : ` from ${options.url}`}`, {
      cause: options.cause,
    });
    this.retryAfterMs = options.retryAfterMs;
    this.url = options.url;
  }

  /**
   * Builds the error from a fetch-like response, parsing `Retry-After` against `clock`.
   * @param response anything with `status` and `headers.get()` (fetch/undici `Response`)
   */
  static fromResponse(
    response: { status: number; url?: string; headers: { get(name: string): string | null } },
    clock: Clock = Date.now,
  ): HttpStatusError {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock);
    const url = response.url === undefined || response.url === '' ? undefined : response.url;
    return new HttpStatusError(response.status, { retryAfterMs, url });
  }
}

const DELAY_SECONDS = /^\s*(\d+)\s*$/;
// An HTTP-date always names a weekday or month; requiring letters stops Date.parse's lenient legacy
// parser from turning garbage such as "1.5" into a date.
const LOOKS_LIKE_HTTP_DATE = /[A-Za-z]{3}/;

/**
 * Parses a `Retry-After` header value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * @returns the wait in milliseconds (0 for a date in the past), or undefined when absent or malformed
 */
export function parseRetryAfter(value: string | null | undefined, clock: Clock = Date.now): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const seconds = DELAY_SECONDS.exec(value);
  if (seconds !== null) {
    return Number(seconds[1]) * 1000;
  }
  const at = LOOKS_LIKE_HTTP_DATE.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(at) ? Math.max(0, at - clock()) : undefined;
}

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

/** The HTTP status an error carries (`status`, or `statusCode` as undici/got name it), if any. */
export function httpStatusOf(err: unknown): number | undefined {
  const status = field(err, 'status') ?? field(err, 'statusCode');
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** The `Retry-After` wait an error carries, if any. */
export function retryAfterOf(err: unknown): number | undefined {
  const ms = field(err, 'retryAfterMs');
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** True when the breaker short-circuited the call: retrying it would only hammer an open breaker. */
export function isBreakerOpen(err: unknown): err is BreakerOpenError {
  return err instanceof Error && field(err, 'code') === ResilienceErrorCode.BreakerOpen;
}

/**
 * Runs `build` with V8's stack capture off, and answers what it built. For errors that are expected and frequent
 * under overload (an RPC timeout, an open breaker failing fast): their stack only shows a timer or the breaker's
 * own frames, yet capturing it costs every such request. Their `stack` is their first line, `Name: message`.
 */
export function withoutStackTrace<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * True for a client error that says nothing about the upstream's health (404, 400, 401...): it must not
 * count towards opening the breaker. 408 and 429 are the upstream being slow or shedding load, so they count.
 */
export function isClientError(err: unknown): boolean {
  const status = httpStatusOf(err);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

// Transient socket/DNS failures from node:net, node:dns and undici (fetch wraps them in `cause`).
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function isTransientNetworkError(err: unknown): boolean {
  const code = field(err, 'code');
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) {
    return true;
  }
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError.
  return field(err, 'name') === 'TimeoutError';
}

/**
 * Whether another attempt may succeed: network errors, timeouts (including the breaker's), 5xx, 408 and 429.
 * Never for an open, saturated or shut-down breaker, other 4xx, or unknown errors (likely bugs, where a
 * retry only multiplies load).
 */
export function isRetryable(err: unknown): boolean {
  const status = httpStatusOf(err);
  if (status !== undefined) {
    return status >= 500 || status === 408 || status === 429;
  }
  return isTransientNetworkError(err) || isTransientNetworkError(field(err, 'cause'));
}
