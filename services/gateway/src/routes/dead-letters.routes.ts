import { HEALTH_RPC } from '@shelfwatch/contracts';
import { DeadLetterDetail, DeadLetterPage, DeadLetterReplay } from '@shelfwatch/messaging';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { isoDate } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';

const summaryView = z
  .object({
    sequence: z.number().int().describe('Sequence in the DEADLETTER stream: the id to show or replay it by'),
    consumer: z.string().describe('Durable consumer that parked it, e.g. ranking-tracking'),
    reason: z.string().describe('invalid_payload, permanent_failure or max_deliver_exceeded'),
    error: z.string(),
    originalSubject: z.string(),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    deliveries: z.number().int(),
    parkedAt: isoDate,
  })
  .meta({ id: 'DeadLetter' });
const detailView = summaryView
  .extend({
    headers: z.record(z.string(), z.array(z.string())),
    payload: z.unknown().describe('The payload as JSON, or its text when it is not JSON'),
  })
  .meta({ id: 'DeadLetterDetail' });
const replayView = z
  .object({
    sequence: z.number().int(),
    consumer: z.string(),
    eventId: z.string().nullable(),
    outcome: z
      .enum(['handled', 'duplicate'])
      .describe('duplicate: the consumer had applied this event, nothing applied'),
  })
  .meta({ id: 'DeadLetterReplay' });
const sequenceParams = z.object({ sequence: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/**
 * Parked messages (operator only): list and inspect them (the health service reads DEADLETTER), replay one in
 * the service whose consumer parked it (health forwards it there). A replay whose handler fails again is 409.
 */
export function deadLetterRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'GET',
      path: '/v1/admin/dead-letters',
      operationId: 'listDeadLetters',
      summary: 'Parked messages, newest first, a page at a time (admin key only)',
      tag: 'operations',
      access: 'admin',
      query: z.object({
        consumer: z.string().trim().min(1).max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z
          .string()
          .regex(/^[1-9]\d{0,15}$/)
          .optional(),
      }),
      status: 200,
      response: z.object({ items: z.array(summaryView), nextCursor: z.string().nullable() }),
      handle: ({ query }) => downstream.call<DeadLetterPage>(HEALTH_RPC.deadLettersList, query),
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
      handle: ({ params }) => downstream.call<DeadLetterDetail>(HEALTH_RPC.deadLettersShow, params),
    }),
    route({
      method: 'POST',
      path: '/v1/admin/dead-letters/:sequence/replay',
      operationId: 'replayDeadLetter',
      summary: 'Apply a parked message again in the consumer that parked it, once (admin key only)',
      tag: 'operations',
      access: 'admin',
      params: sequenceParams,
      status: 200,
      response: replayView,
      problems: ['not-found', 'conflict'],
      handle: ({ params }) => downstream.call<DeadLetterReplay>(HEALTH_RPC.deadLettersReplay, params),
    }),
  ];
}
