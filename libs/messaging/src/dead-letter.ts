import { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Topology } from './topology';

/** Why a message was parked. */
export type DeadLetterReason = 'invalid_payload' | 'max_deliver_exceeded' | 'permanent_failure';

/** Headers a dead-lettered message carries besides its original ones. */
export const DEAD_LETTER_HEADERS = {
  reason: 'Shelfwatch-Dead-Letter-Reason',
  error: 'Shelfwatch-Dead-Letter-Error',
  consumer: 'Shelfwatch-Dead-Letter-Consumer',
  stream: 'Shelfwatch-Original-Stream',
  sequence: 'Shelfwatch-Original-Sequence',
  subject: 'Shelfwatch-Original-Subject',
  deliveries: 'Shelfwatch-Delivery-Count',
  messageId: 'Shelfwatch-Original-Msg-Id',
} as const;

/**
 * Copies a message with its original headers and the reason to `deadletter.<consumer>.<subject>`.
 * Only after JetStream stored the copy may the caller terminate the original, so nothing is lost.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  topology: Topology,
  durable: string,
  msg: JsMsg,
  reason: DeadLetterReason,
  error: string,
): Promise<void> {
  const headers = natsHeaders();
  for (const key of msg.headers?.keys() ?? []) {
    // JetStream's own headers (Nats-Msg-Id, Nats-Expected-*) would collide with the copy's.
    if (key.toLowerCase().startsWith('nats-')) {
      continue;
    }
    for (const value of msg.headers?.values(key) ?? []) {
      headers.append(key, value);
    }
  }
  headers.set(DEAD_LETTER_HEADERS.reason, reason);
  headers.set(DEAD_LETTER_HEADERS.error, error.replace(/[\r\n]+/g, ' ').slice(0, 1_000));
  headers.set(DEAD_LETTER_HEADERS.consumer, durable);
  headers.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
  headers.set(DEAD_LETTER_HEADERS.sequence, String(msg.info.streamSequence));
  headers.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  headers.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
  headers.set(DEAD_LETTER_HEADERS.messageId, msg.headers?.get('Nats-Msg-Id') ?? '');
  await js.publish(topology.deadLetterSubject(durable, msg.subject), msg.data, {
    headers,
    // One parked copy per original message, even if parking is retried.
    msgID: `${durable}:${msg.info.stream}:${msg.info.streamSequence}`,
    timeout: 5_000,
  });
}
