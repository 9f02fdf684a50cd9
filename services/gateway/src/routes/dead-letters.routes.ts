import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { DeadLetterError, DeadLetterErrorCode, DeadLetterStore, Topology } from '@shelfwatch/messaging';
import { z } from 'zod';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { isoDate } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';

const summaryView = z.object({
  sequence: z.number().int().describe('Sequence in the DEADLETTER stream: the id to show or replay it by'),
  consumer: z.string().describe('Durable consumer that parked it, e.g. ranking-tracking'),
  reason: z.string().describe('invalid_payload, permanent_failure or max_deliver_exceeded'),
  error: z.string(),
  originalSubject: z.string(),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  deliveries: z.number().int(),
  parkedAt: isoDate,
});
const detailView = summaryView.extend({
  headers: z.record(z.string(), z.array(z.string())),
  payload: z.unknown().describe('The payload as JSON, or its text when it is not JSON'),
});
const replayView = z.object({
  sequence: z.number().int(),
  consumer: z.string(),
  eventId: z.string().nullable(),
  subject: z.string(),
  streamSequence: z.number().int().describe('Sequence of the replayed message in its domain stream'),
});
const sequenceParams = z.object({ sequence: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** A refused dead-letter operation as the gateway answers it. */
function refused(error: unknown): never {
  if (error instanceof DeadLetterError) {
    switch (error.code) {
      case DeadLetterErrorCode.NotFound:
      case DeadLetterErrorCode.NotADeadLetter:
        throw new GatewayError(GatewayErrorCode.NotFound, error.message);
      default: {
        const unknown: never = error.code;
        throw new Error(`unknown dead-letter error ${String(unknown)}`);
      }
    }
  }
  throw error;
}

/** Parked messages (operator only): list, inspect, replay to the consumer that parked them. */
export function deadLetterRoutes(nc: NatsConnection, topology: Topology): AnyRoute[] {
  let store: Promise<DeadLetterStore> | null = null;
  const open = (): Promise<DeadLetterStore> => {
    store ??= jetstreamManager(nc).then((jsm) => new DeadLetterStore(jsm, jetstream(nc), topology));
    // A failed attempt (NATS away) is not cached: the next request tries again.
    store.catch(() => (store = null));
    return store;
  };
  return [
    route({
      method: 'GET',
      path: '/v1/admin/dead-letters',
      operationId: 'listDeadLetters',
      summary: 'Parked messages, newest first (admin key only)',
      tag: 'operations',
      access: 'admin',
      query: z.object({
        consumer: z.string().trim().min(1).max(200).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      status: 200,
      response: z.object({ items: z.array(summaryView) }),
      handle: async ({ query }) => ({ items: await (await open()).list(query) }),
    }),
    route({
      method: 'GET',
      path: '/v1/admin/dead-letters/:sequence',
      operationId: 'getDeadLetter',
      summary: 'One parked message with its reason, headers and payload (admin key only)',
      tag: 'operations',
      access: 'admin',
      params: sequenceParams,
      status: 200,
      response: detailView,
      problems: ['not-found'],
      handle: async ({ params }) => (await open()).show(params.sequence).catch(refused),
    }),
    route({
      method: 'POST',
      path: '/v1/admin/dead-letters/:sequence/replay',
      operationId: 'replayDeadLetter',
      summary: 'Send a parked message back to the consumer that parked it, once (admin key only)',
      tag: 'operations',
      access: 'admin',
      params: sequenceParams,
      status: 200,
      response: replayView,
      problems: ['not-found'],
      handle: async ({ params }) => (await open()).replay(params.sequence).catch(refused),
    }),
  ];
}
