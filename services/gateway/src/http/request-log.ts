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
 * The request log of the API scope, instead of pino-http's (which the gateway turns off for `/v1`: it built a child
 * logger for every request, whatever the level). A request slower than `SLOW_REQUEST_MS` is logged at warn, a
 * failed one (5xx) at info, every other one at debug only, with its headers (credentials redacted by the logger).
 */
export function logRequest(logger: Logger, slowRequestMs: number, request: AnsweredRequest): void {
  const { level, message } = lineOf(request, slowRequestMs);
  if (!logger.isLevelEnabled(level)) {
    return;
  }
  const { headers, responseTimeMs, ...line } = request;
  const responseTime = Math.round(responseTimeMs);
  logger[level]({ ...line, responseTime, ...(level === 'debug' ? { headers } : {}) }, message);
}
