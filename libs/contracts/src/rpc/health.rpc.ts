import { z } from 'zod';

/**
 * Request/reply contracts of the health service: the platform's verdict, for the gateway's `GET /health`, and
 * the operator's view of the dead letters (listed and shown by health, replayed by the service that parked them).
 */
export const HEALTH_RPC = {
  /** Answers `HealthSummary` (`health.answers.ts`); takes no payload. */
  summary: 'health.summary.get',
  /** Answers a page of parked messages, newest first. */
  deadLettersList: 'health.dead-letters.list',
  /** Answers one parked message with its headers and payload. */
  deadLettersShow: 'health.dead-letters.show',
  /** Forwards to `<owner>.dead-letters.replay` of the service whose consumer parked it; answers its result. */
  deadLettersReplay: 'health.dead-letters.replay',
} as const;

/** `health.summary.get`: takes no payload. */
export const healthSummaryRequest = z.object({});

/** A dead letter's sequence in the DEADLETTER stream. */
export const deadLetterSequence = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** `health.dead-letters.list`: a page of parked messages, optionally of one consumer. */
export const deadLettersListRequest = z.object({
  /** A durable consumer, e.g. `ranking-tracking`. */
  consumer: z.string().trim().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque; the `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .optional(),
});

/** `health.dead-letters.show` and `health.dead-letters.replay`: one dead letter. */
export const deadLetterRequest = z.object({ sequence: deadLetterSequence });
