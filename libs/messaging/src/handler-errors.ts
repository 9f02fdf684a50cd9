import { isBreakerOpen, isRetryable } from '@shelfwatch/resilience';
import { isTransientNatsError } from './start-retry';

/**
 * A handler throws this when the message can never succeed however often it is retried (a reference
 * to something that can never exist, a business rule that rejects it). The consumer dead-letters the
 * message at once with the reason instead of retrying.
 */
export class PermanentHandlerError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}

/** The consumer abandoned a handler that outlasted its timeout; its transaction is rolled back. */
export class HandlerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`handler did not finish within ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}

/**
 * What a handler failure means for the message:
 * - `transient`: a dependency is unavailable (database, broker, network, timeout, pool, lock conflict);
 *   retried with capped back-off for as long as it lasts, never dead-lettered;
 * - `permanent`: it can never succeed; dead-lettered at once with its reason;
 * - `unclassified`: anything else, most likely a bug in the handler; retried a bounded number of times,
 *   then dead-lettered with its error so that it can be replayed once the bug is fixed.
 */
export type FailureKind = 'transient' | 'permanent' | 'unclassified';

// SQLSTATEs after which the same statement succeeds once the database is back or the conflict is gone:
// class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
// 53300 (too many connections), 40001 (serialization failure), 40P01 (deadlock), 55P03 (lock not available),
// 57014 (statement timeout / cancelled).
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03', '57014']);
// MikroORM's names for the same conditions (it keeps the driver's `code` too).
const TRANSIENT_NAMES = new Set(['ConnectionException', 'DeadlockException', 'LockWaitTimeoutException']);
// node-postgres and its pool report a lost or unobtainable connection without a code.
const TRANSIENT_PG_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection (is )?closed/i,
];

/** An error's own fields; errors from node's core modules fail `instanceof Error` inside jest's sandbox. */
interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

function isTransientDatabaseError(error: ErrorLike): boolean {
  const { code, name, message } = error;
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code))) {
    return true;
  }
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) {
    return true;
  }
  return typeof message === 'string' && TRANSIENT_PG_MESSAGES.some((pattern) => pattern.test(message));
}

function isTransient(error: ErrorLike): boolean {
  return (
    error instanceof HandlerTimeoutError ||
    isTransientDatabaseError(error) ||
    isTransientNatsError(error) ||
    // A dependency's breaker is open or the call failed on the network, timed out, got 5xx/408/429.
    isBreakerOpen(error) ||
    isRetryable(error)
  );
}

/** The one place that decides whether a failed handler is retried, retried for a while, or parked. */
export function classifyHandlerError(error: unknown): FailureKind {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    if (current instanceof PermanentHandlerError) {
      return 'permanent';
    }
    const errorLike: ErrorLike = current;
    if (isTransient(errorLike)) {
      return 'transient';
    }
    current = errorLike.cause;
  }
  return 'unclassified';
}

/** Delay before the next delivery after a failure: 1 s, 2 s, 4 s ... capped at `maxMs`. */
export function redeliveryDelayMs(deliveryCount: number, baseMs = 1_000, maxMs = 60_000): number {
  const exponent = Math.max(0, deliveryCount - 1);
  return Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 30));
}
