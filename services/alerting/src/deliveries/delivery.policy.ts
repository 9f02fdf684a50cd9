import { EventEnvelope } from '@shelfwatch/contracts';
import { DeliveryOutcome, NewDelivery } from './deliveries.store';

/** What one attempt at sending a delivery came to. */
export type AttemptResult =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'http_error'; statusCode: number }
  | { kind: 'network_error'; code: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'breaker_open' };

/** Retries of a delivery. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** Wait after the `attempt`-th failed attempt (1-based): base, doubling, capped. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

/** A 4xx other than 408/429 will not change by itself; neither will a redirect we refuse to follow. */
function isPermanent(statusCode: number): boolean {
  return (statusCode >= 300 && statusCode < 500 && statusCode !== 408 && statusCode !== 429) || statusCode < 200;
}

/**
 * What follows an attempt. Pure:
 * - delivered → succeeded;
 * - an address refused at delivery time (rebinding) or a permanent HTTP status → failed at once;
 * - the endpoint's breaker is open (it failed repeatedly just now): a failed attempt without a connection;
 * - otherwise retry after the back-off until `maxAttempts` attempts were made, then failed.
 */
export function afterAttempt(
  result: AttemptResult,
  attemptsMade: number,
  policy: RetryPolicy,
  now: Date,
): DeliveryOutcome {
  switch (result.kind) {
    case 'delivered':
      return { status: 'succeeded' };
    case 'refused':
      return { status: 'failed' };
    case 'breaker_open':
    case 'http_error':
    case 'network_error':
      if ((result.kind === 'http_error' && isPermanent(result.statusCode)) || attemptsMade >= policy.maxAttempts) {
        return { status: 'failed' };
      }
      return { status: 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs(attemptsMade, policy)) };
    default: {
      const unknown: never = result;
      throw new Error(`unknown attempt result ${JSON.stringify(unknown)}`);
    }
  }
}

/** The error text of the delivery log for an attempt (null on success). */
export function attemptError(result: AttemptResult): string | null {
  switch (result.kind) {
    case 'delivered':
      return null;
    case 'http_error':
      return result.statusCode >= 300 && result.statusCode < 400
        ? `redirect_not_followed_${result.statusCode}`
        : `http_${result.statusCode}`;
    case 'network_error':
      return result.code;
    case 'refused':
      return `refused: ${result.reason}`;
    case 'breaker_open':
      return 'breaker_open';
    default: {
      const unknown: never = result;
      throw new Error(`unknown attempt result ${JSON.stringify(unknown)}`);
    }
  }
}

/** A webhook as delivery planning sees it. */
export interface PlannedWebhook {
  id: string;
  events: readonly string[];
  digest: boolean;
}

/**
 * The deliveries of a batch of alert events (the events of one crawl, or one acknowledgement): each webhook
 * gets the events it subscribed to, one delivery per event, or one digest carrying them all.
 */
export function planDeliveries(
  tenantId: string,
  events: readonly EventEnvelope[],
  webhooks: readonly PlannedWebhook[],
  next: { id: () => string; at: Date },
): NewDelivery[] {
  return webhooks.flatMap((webhook) => {
    const wanted = events.filter((event) => webhook.events.includes(event.type));
    if (wanted.length === 0) {
      return [];
    }
    const base = { tenantId, webhookId: webhook.id, createdAt: next.at };
    if (webhook.digest) {
      const body = JSON.stringify({ type: 'alert.digest', tenantId, events: wanted });
      return [
        {
          ...base,
          deliveryId: next.id(),
          eventIds: wanted.map((e) => e.id),
          eventTypes: wanted.map((e) => e.type),
          body,
        },
      ];
    }
    return wanted.map((event) => ({
      ...base,
      deliveryId: next.id(),
      eventIds: [event.id],
      eventTypes: [event.type],
      body: JSON.stringify(event),
    }));
  });
}
