import { HEALTH_RPC, rpcAnswerSchema } from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { AnyRoute, route } from '../http/route';

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
      response: rpcAnswerSchema(HEALTH_RPC.deadLettersList),
      handle: ({ query }) => downstream.call(HEALTH_RPC.deadLettersList, query),
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
      response: rpcAnswerSchema(HEALTH_RPC.deadLettersShow),
      problems: ['not-found'],
      handle: ({ params }) => downstream.call(HEALTH_RPC.deadLettersShow, params),
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
      response: rpcAnswerSchema(HEALTH_RPC.deadLettersReplay),
      problems: ['not-found', 'conflict'],
      handle: ({ params }) => downstream.call(HEALTH_RPC.deadLettersReplay, params),
    }),
  ];
}
