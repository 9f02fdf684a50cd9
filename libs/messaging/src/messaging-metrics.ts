import { counter, gauge } from '@shelfwatch/observability';

/** The messaging layer's Prometheus metrics, on the process-wide registry. */
export const messagingMetrics = {
  published: counter('shelfwatch_events_published_total', 'Events published from the outbox to JetStream', ['schema']),
  consumed: counter('shelfwatch_events_consumed_total', 'Messages handled by a consumer, by outcome', [
    'consumer',
    'outcome',
  ]),
  retried: counter('shelfwatch_events_retried_total', "Failed handlings nak'ed for a later retry, by failure kind", [
    'consumer',
    'kind',
  ]),
  handlerTimeouts: counter('shelfwatch_handler_timeouts_total', 'Handlers abandoned after the handler timeout', [
    'consumer',
  ]),
  redelivered: counter('shelfwatch_events_redelivered_total', 'Messages received more than once', ['consumer']),
  deadLettered: counter('shelfwatch_events_dead_lettered_total', 'Messages parked on the dead-letter stream', [
    'consumer',
    'reason',
  ]),
  consumerLag: gauge('shelfwatch_consumer_lag', 'Messages not yet delivered or not yet acknowledged', ['consumer']),
  rpcFailures: counter(
    'shelfwatch_rpc_failures_total',
    'Requests not answered normally: not JSON, invalid, answer above max_payload, unserializable, unanswered',
    ['subject', 'reason'],
  ),
  outboxBacklog: gauge('shelfwatch_outbox_backlog', 'Outbox rows committed but not yet published', ['schema']),
};
