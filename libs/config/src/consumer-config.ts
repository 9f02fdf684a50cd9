import { Variable, integer } from './variables';

/**
 * An integer within [min, max] that must also be at least `productionMin` in production, where a value
 * fit for a fast test (a few milliseconds of back-off) would make retries spin.
 */
export function integerWithProductionFloor(
  name: string,
  fallback: number,
  range: { min: number; max: number; productionMin: number },
): Variable<number> {
  const base = integer(name, fallback, range.min, range.max);
  return {
    name,
    secret: false,
    parse(raw, ctx) {
      const value = base.parse(raw, ctx);
      if (ctx.production && value < range.productionMin) {
        throw new Error(`must be at least ${range.productionMin} in production, got "${value}"`);
      }
      return value;
    },
  };
}

/** How every service's event consumers retry, give up and forget (docs/messaging.md §Tuning). */
export function consumerSpec() {
  return {
    /** A handler and its transaction running longer than this is abandoned, rolled back and retried. */
    consumerHandlerTimeoutMs: integerWithProductionFloor('CONSUMER_HANDLER_TIMEOUT_MS', 30_000, {
      min: 50,
      max: 600_000,
      productionMin: 1_000,
    }),
    /** First redelivery delay after a failed handling; doubles per delivery up to the cap below. */
    consumerRedeliveryBaseMs: integerWithProductionFloor('CONSUMER_REDELIVERY_BASE_MS', 1_000, {
      min: 10,
      max: 60_000,
      productionMin: 100,
    }),
    /** Cap of the redelivery delay: during a long outage each waiting message is retried this often. */
    consumerMaxRedeliveryDelayMs: integerWithProductionFloor('CONSUMER_MAX_REDELIVERY_DELAY_MS', 30_000, {
      min: 50,
      max: 600_000,
      productionMin: 5_000,
    }),
    /** Failures with an unclassified error (likely a handler bug) before a message is dead-lettered. */
    consumerMaxUnclassifiedFailures: integer('CONSUMER_MAX_UNCLASSIFIED_FAILURES', 8, 1, 1_000),
    /** Inbox rows (processed event ids) older than this are pruned; at least the JetStream duplicate window. */
    inboxRetainHours: integer('INBOX_RETAIN_HOURS', 168, 1, 8_760),
  };
}
