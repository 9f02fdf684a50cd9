import { Level, Logger } from 'pino';

/** One answered `/v1` request, as its log line tells it. */
export interface AnsweredRequest {
  /** Fastify's request id; the `unexpected error` line of a 500 carries the same `reqId`. */
  reqId: string;
  method: string;
  /** The path; the query is never logged (it may hold a secret a client put there). */
  url: string;
  statusCode: number;
  responseTimeMs: number;
  headers: Record<string, unknown>;
}

/** The level and message of a request's line: slow at warn, failed (5xx) at info, any other at debug. */
function lineOf(request: AnsweredRequest, slowRequestMs: number): { level: Level; message: string } {
  if (request.responseTimeMs >= slowRequestMs) {
    return { level: 'warn', message: 'slow request' };
  }
  return request.statusCode >= 500
    ? { level: 'info', message: 'request failed' }
    : { level: 'debug', message: 'request completed' };
}

/**
 * How many warn and info lines the request log writes a second: under overload every request is slow, and a line for
 * each would spend the CPU the gateway is short of on logging the same news. A line over the budget is dropped and
 * counted; the next line let through carries `suppressedLines`, the number dropped since the one before it.
 */
export class LineBudget {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;
  private suppressed = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Null when the line is over this second's budget (it is counted); else how many were dropped before it. */
  take(): number | null {
    const now = this.now();
    if (now - this.windowStart >= 1_000) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.perSecond) {
      this.suppressed += 1;
      return null;
    }
    this.used += 1;
    const dropped = this.suppressed;
    this.suppressed = 0;
    return dropped;
  }
}

/** How the API scope logs its requests. */
export interface RequestLogOptions {
  logger: Logger;
  /** `SLOW_REQUEST_MS`: a request answered later is logged at warn. */
  slowRequestMs: number;
  /** `REQUEST_LOG_LINES_PER_SECOND`: the budget of warn and info lines (debug lines are never dropped). */
  budget: LineBudget;
}

/**
 * The request log of the API scope, instead of pino-http's (which the gateway turns off for `/v1`: it built a child
 * logger for every request, whatever the level). A request slower than `SLOW_REQUEST_MS` is logged at warn, a
 * failed one (5xx) at info, every other one at debug only, with its headers (credentials redacted by the logger).
 * Warn and info lines share the {@link LineBudget}.
 */
export function logRequest(options: RequestLogOptions, request: AnsweredRequest): void {
  const { logger, slowRequestMs, budget } = options;
  const { level, message } = lineOf(request, slowRequestMs);
  if (!logger.isLevelEnabled(level)) {
    return;
  }
  const dropped = level === 'debug' ? 0 : budget.take();
  if (dropped === null) {
    return;
  }
  const { headers, responseTimeMs, ...line } = request;
  const responseTime = Math.round(responseTimeMs);
  const extra = { ...(level === 'debug' ? { headers } : {}), ...(dropped > 0 ? { suppressedLines: dropped } : {}) };
  logger[level]({ ...line, responseTime, ...extra }, message);
}
