/**
 * A handler throws this when the message can never succeed however often it is retried (a reference
 * to something that can never exist, a business rule that rejects it). The consumer dead-letters the
 * message at once with the reason instead of retrying. Any other error is treated as transient.
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

/** Delay before the next delivery after a transient failure: 1 s, 2 s, 4 s ... capped at `maxMs`. */
export function redeliveryDelayMs(deliveryCount: number, baseMs = 1_000, maxMs = 60_000): number {
  const exponent = Math.max(0, deliveryCount - 1);
  return Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 30));
}
