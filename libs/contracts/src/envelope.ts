import { z } from 'zod';

/** UUIDv7 or any RFC 4122 UUID: the envelope id, also sent as `Nats-Msg-Id`. */
export const uuidSchema = z.uuid();

/**
 * The envelope every event travels in (docs/architecture.md, "Events"). `data` is validated separately against the
 * schema registered for `type` and `version`.
 */
export const envelopeSchema = z.object({
  /** Unique event id (UUIDv7); JetStream de-duplicates on it and consumers record it in their inbox. */
  id: uuidSchema,
  /** Event type, equal to the NATS subject it is published on, e.g. `crawl.completed`. */
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, 'lower-case dotted event type'),
  /** Schema version of `data` for this type. */
  version: z.number().int().positive(),
  /** When the fact happened, ISO-8601 UTC. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** The tenant (seller) the event belongs to; `system` events use the nil UUID. */
  tenantId: uuidSchema,
  /** Id shared by every event that stems from one user action or schedule tick. */
  correlationId: uuidSchema,
  /** Id of the event or request that directly caused this one; null for a root event. */
  causationId: uuidSchema.nullable(),
  /** Type-specific payload. */
  data: z.unknown(),
});

export type RawEnvelope = z.infer<typeof envelopeSchema>;

/** Tenant id used on events that belong to no tenant (platform-wide facts). */
export const SYSTEM_TENANT_ID = '00000000-0000-0000-0000-000000000000';
