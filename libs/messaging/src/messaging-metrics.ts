import { counter, gauge, histogram } from '@shelfwatch/observability';

/** Seconds a handler or a request/reply round trip may take: a few milliseconds to the 5 s request timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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
  consumerPending: gauge(
    'shelfwatch_consumer_pending_messages',
    'Consumer lag: messages of the stream not yet delivered to the consumer or not yet acknowledged',
    ['consumer'],
  ),
  handlerSeconds: histogram(
    'shelfwatch_handler_duration_seconds',
    "Time a consumer spends on one message or batch: the handler and its transaction's commit",
    ['consumer'],
    LATENCY_BUCKETS,
  ),
  rpcSeconds: histogram(
    'shelfwatch_rpc_request_duration_seconds',
    'Request/reply round trips from the caller, by subject and outcome (ok, remote_error, unavailable)',
    ['subject', 'outcome'],
    LATENCY_BUCKETS,
  ),
  rpcFailures: counter(
    'shelfwatch_rpc_failures_total',
    'Requests not answered normally: not JSON, invalid, answer above max_payload, unserializable, unanswered',
    ['subject', 'reason'],
  ),
  outboxBacklog: gauge('shelfwatch_outbox_backlog_rows', 'Outbox rows committed but not yet published', ['schema']),
  outboxSetAside: counter(
    'shelfwatch_outbox_set_aside_total',
    'Outbox rows the broker can never accept (too_large, permission_denied, invalid_subject, rejected_by_stream), set aside',
    ['schema', 'reason'],
  ),
  outboxSetAsideRows: gauge(
    'shelfwatch_outbox_set_aside_rows',
    'Outbox rows set aside as unpublishable and still in the table, waiting for an operator',
    ['schema'],
  ),
};
