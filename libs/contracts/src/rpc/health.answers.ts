/**
 * Answer schemas of the health service's request/reply subjects: the one definition of each answer shape.
 * Their types are the answer types, and the gateway's OpenAPI document shows them as they are here.
 */
import { z } from 'zod';
import { isoDate } from './answer-shapes';

/** The platform's verdict without its details (the gateway shows it to anyone, e.g. the dashboard's banner). */
export const healthSummarySchema = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  /** When the health service computed it. */
  timestamp: isoDate,
});
export type HealthSummary = z.infer<typeof healthSummarySchema>;

/** A parked message as listed. */
export const deadLetterSummarySchema = z
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

/** Answer of `health.dead-letters.list`: a page of parked messages, newest first. */
export const deadLetterPageSchema = z.object({
  items: z.array(deadLetterSummarySchema),
  nextCursor: z.string().nullable(),
});

/** Answer of `health.dead-letters.show`: one parked message with its headers and payload. */
export const deadLetterDetailSchema = deadLetterSummarySchema
  .extend({
    headers: z.record(z.string(), z.array(z.string())),
    payload: z.unknown().describe('The payload as JSON, or its text when it is not JSON'),
  })
  .meta({ id: 'DeadLetterDetail' });

/** Answer of `health.dead-letters.replay` (the owning service's `<owner>.dead-letters.replay`). */
export const deadLetterReplaySchema = z
  .object({
    sequence: z.number().int(),
    consumer: z.string(),
    eventId: z.string().nullable(),
    outcome: z
      .enum(['handled', 'duplicate'])
      .describe('duplicate: the consumer had applied this event, nothing applied'),
  })
  .meta({ id: 'DeadLetterReplay' });
