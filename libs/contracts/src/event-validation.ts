import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { AnyEvent, EventData, EventEnvelope, EventType, eventRegistry, isEventType } from './event-registry';

/** Why a payload is not a valid event; carried to the dead-letter subject as the reason. */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Validates an untrusted value as an event envelope and its `data` against the schema of its type and
 * version. Throws {@link InvalidEventError} naming every failing field.
 */
export function parseEvent(value: unknown): AnyEvent {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    throw new InvalidEventError('invalid event envelope', describe(envelope.error));
  }
  const { type, version } = envelope.data;
  if (!isEventType(type)) {
    throw new InvalidEventError(`unknown event type ${type}`, [`type: unknown event type ${type}`]);
  }
  const entry = eventRegistry[type];
  if (version !== entry.version) {
    throw new InvalidEventError(`unsupported version ${version} of ${type}`, [
      `version: expected ${entry.version}, got ${version}`,
    ]);
  }
  const data = entry.schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new InvalidEventError(
      `invalid data for ${type}`,
      describe(data.error).map((issue) => `data.${issue}`),
    );
  }
  return { ...envelope.data, type, data: data.data } as AnyEvent;
}

/** Where an event comes from: the tenant, and the correlation/causation chain it continues. */
export interface EventOrigin {
  tenantId: string;
  correlationId: string;
  causationId: string | null;
}

/** Id and time come in as arguments so that building an event stays pure and testable. */
export interface EventStamp {
  id: string;
  occurredAt: Date;
}

/** Builds and validates an event; throws {@link InvalidEventError} if `data` breaks its schema. */
export function buildEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  origin: EventOrigin,
  stamp: EventStamp,
): EventEnvelope<T> {
  const event = {
    id: stamp.id,
    type,
    version: eventRegistry[type].version,
    occurredAt: stamp.occurredAt.toISOString(),
    tenantId: origin.tenantId,
    correlationId: origin.correlationId,
    causationId: origin.causationId,
    data,
  };
  return parseEvent(event) as EventEnvelope<T>;
}

/** The origin of an event caused by `cause`: same tenant and correlation, caused by it. */
export function causedBy(cause: Pick<EventEnvelope, 'id' | 'tenantId' | 'correlationId'>): EventOrigin {
  return { tenantId: cause.tenantId, correlationId: cause.correlationId, causationId: cause.id };
}

export type { EventData };
