import { z } from 'zod';
import { envelopeSchema } from './envelope';
import { EventType, eventRegistry, eventTypes } from './event-registry';
import { STREAMS, streamForEventType } from './streams';

type JsonObject = Record<string, unknown>;

/** The NATS headers the outbox relay sets on every event it publishes (libs/messaging `OutboxRelay`). */
const EVENT_HEADERS: JsonObject = {
  type: 'object',
  required: ['Nats-Msg-Id'],
  properties: {
    'Nats-Msg-Id': {
      type: 'string',
      format: 'uuid',
      description: 'The envelope id; JetStream drops a second publish of the same id within its duplicate window',
    },
    traceparent: {
      type: 'string',
      pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description: 'W3C Trace Context of the publish span; a consumer continues the trace from it',
    },
    tracestate: {
      type: 'string',
      description: 'W3C tracestate of the trace the event belongs to; present only when that trace carries one',
    },
  },
};

/** `alert.raised` version 1 → `alert.raised.v1`, the id of its message in the document. */
export function asyncApiMessageId(type: EventType, version: number): string {
  return `${type}.v${version}`;
}

/**
 * JSON Schema (draft 7) of an event of `type` at its current version: the envelope with its typed `data`, as
 * a consumer accepts it (zod's input side): a field added later within the version, with a default, is
 * optional, since older messages on the stream lack it; unknown fields are allowed.
 */
export function eventJsonSchema(type: EventType): JsonObject {
  const { version, schema } = eventRegistry[type];
  const envelope = envelopeSchema.extend({ type: z.literal(type), version: z.literal(version), data: schema });
  const converted = z.toJSONSchema(envelope, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonObject;
  delete converted.$schema;
  return converted;
}

function message(type: EventType): JsonObject {
  const { version, schema } = eventRegistry[type];
  return {
    name: type,
    title: `${type} v${version}`,
    ...(schema.description === undefined ? {} : { summary: schema.description }),
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/EventHeaders' },
    payload: eventJsonSchema(type),
    'x-shelfwatch-event-version': version,
  };
}

function channel(type: EventType): JsonObject {
  const stream = streamForEventType(type);
  const id = asyncApiMessageId(type, eventRegistry[type].version);
  const retention = stream.maxAgeDays === 0 ? 'kept forever' : `kept ${stream.maxAgeDays} days`;
  return {
    address: type,
    title: type,
    description: `Subject \`${type}\` on JetStream stream \`${stream.name}\` (${stream.description}; ${retention}).`,
    messages: { [id]: { $ref: `#/components/messages/${id}` } },
    'x-jetstream-stream': stream.name,
  };
}

/**
 * The AsyncAPI 3.0 document of every event on the wire: one channel per subject (an event type's subject
 * equals its name), the stream that keeps it, the headers and the JSON Schema of the envelope with each
 * type's current version. `npm run asyncapi` commits it as docs/asyncapi.json; the gateway serves it.
 */
export function buildAsyncApi(version: string): JsonObject {
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  for (const type of [...eventTypes].sort()) {
    const id = asyncApiMessageId(type, eventRegistry[type].version);
    channels[type] = channel(type);
    messages[id] = message(type);
    operations[`receive.${type}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${type}` },
      summary: `Consume ${type} from stream ${streamForEventType(type).name}`,
      messages: [{ $ref: `#/channels/${type}/messages/${id}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'ShelfWatch events',
      version,
      description:
        'Domain events on NATS JetStream. Every message is a JSON envelope whose `type` equals its subject; ' +
        '`data` follows the schema of `type` at `version`. A consumer guide is in docs/events.md.',
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: 'nats:4222',
        protocol: 'nats',
        description:
          'The NATS server with JetStream; streams: ' +
          Object.values(STREAMS)
            .map((s) => s.name)
            .join(', '),
      },
    },
    channels,
    operations,
    components: { schemas: { EventHeaders: EVENT_HEADERS }, messages },
  };
}
