import { z } from 'zod';
import { envelopeSchema } from './envelope';
import {
  AnyEvent,
  EventData,
  EventEnvelope,
  EventRegistryEntry,
  EventType,
  eventRegistry,
  isEventType,
} from './event-registry';

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

/**
 * A version this code cannot read: newer than the registry's (written by a newer release; parked until this
 * consumer is upgraded) or older without an upcaster chain to the current one.
 */
export class UnsupportedEventVersionError extends InvalidEventError {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly currentVersion: number,
  ) {
    const why = version > currentVersion ? 'newer than' : 'has no upcaster to';
    super(`unsupported version ${version} of ${eventType}`, [
      `version: ${version} ${why} the supported version ${currentVersion}`,
    ]);
    this.name = 'UnsupportedEventVersionError';
  }
}

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * The `data` of version `version` of `type` lifted to the entry's current version: each upcaster from `version`
 * on validates the older data against its own schema, then lifts it one version. The result is not yet checked
 * against the current schema. Throws {@link UnsupportedEventVersionError} for a newer version or a gap in the
 * chain, {@link InvalidEventError} when older data breaks its version's schema.
 */
export function upcastEventData(type: string, entry: EventRegistryEntry, version: number, data: unknown): unknown {
  if (version > entry.version) {
    throw new UnsupportedEventVersionError(type, version, entry.version);
  }
  let current = data;
  for (let from = version; from < entry.version; from++) {
    const upcaster = entry.upcasters?.find((candidate) => candidate.from === from);
    if (!upcaster) {
      throw new UnsupportedEventVersionError(type, version, entry.version);
    }
    const old = upcaster.schema.safeParse(current);
    if (!old.success) {
      throw new InvalidEventError(
        `invalid data for ${type} v${from}`,
        describe(old.error).map((issue) => `data.${issue}`),
      );
    }
    current = upcaster.up(old.data);
  }
  return current;
}

/**
 * Validates an untrusted value as an event envelope and its `data` against the schema of its type. An older
 * version is upcast to the current one first (the returned event carries the current version and shape); a
 * newer one throws {@link UnsupportedEventVersionError}. Throws {@link InvalidEventError} naming every failing
 * field.
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
  const entry: EventRegistryEntry = eventRegistry[type];
  const data = entry.schema.safeParse(upcastEventData(type, entry, version, envelope.data.data));
  if (!data.success) {
    throw new InvalidEventError(
      `invalid data for ${type}`,
      describe(data.error).map((issue) => `data.${issue}`),
    );
  }
  return { ...envelope.data, type, version: entry.version, data: data.data } as AnyEvent;
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
