import { counter, gauge, histogram } from '@shelfwatch/observability';

/** The alerting's Prometheus metrics (created on first use in the default registry). */
export const alertingMetrics = {
  /** Alert transitions by rule type; `suppressed` counts conditions held back by the cool-down. */
  alerts: () => counter('shelfwatch_alerts_total', 'Alert transitions by rule type', ['type', 'transition'] as const),
  /** Webhook attempts by outcome (`delivered`, `http_error`, `network_error`, `refused`, `breaker_open`). */
  attempts: () =>
    counter('shelfwatch_webhook_attempts_total', 'Webhook delivery attempts by outcome', ['outcome'] as const),
  /** Deliveries that ended, by final status. */
  finished: () =>
    counter('shelfwatch_webhook_deliveries_finished_total', 'Webhook deliveries that ended, by status', [
      'status',
    ] as const),
  attemptSeconds: () =>
    histogram(
      'shelfwatch_webhook_attempt_seconds',
      'Duration of one webhook delivery attempt',
      [],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
  /** Webhook breakers open now (one breaker per webhook; a per-webhook series would be unbounded). */
  openBreakers: () =>
    gauge('shelfwatch_webhook_breakers_open', 'Webhook circuit breakers open now, all webhooks together'),
};
