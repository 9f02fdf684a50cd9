import { eventJsonSchema, webhookEventTypeSchema } from '@shelfwatch/contracts';

type JsonSchema = Record<string, unknown>;

/** The Standard Webhooks headers on every delivery (services/alerting `signedHeaders`). */
const SIGNATURE_HEADERS: JsonSchema[] = [
  { name: 'webhook-id', description: 'The delivery id, the same on every retry: de-duplicate on it' },
  { name: 'webhook-timestamp', description: 'Unix seconds of this attempt; refuse one more than 5 minutes off' },
  {
    name: 'webhook-signature',
    description: '`v1,<base64 HMAC-SHA256(key, webhook-id + "." + webhook-timestamp + "." + body)>`',
  },
].map((header) => ({ ...header, in: 'header', required: true, schema: { type: 'string' } }));

const RESPONSES = {
  '2XX': { description: 'Received; any other answer (or none in time) is retried with back-off' },
};

function delivery(summary: string, schema: JsonSchema): JsonSchema {
  return {
    post: {
      summary,
      parameters: SIGNATURE_HEADERS,
      requestBody: { required: true, content: { 'application/json': { schema } } },
      responses: RESPONSES,
      security: [],
    },
  };
}

/** The OpenAPI 3.1 `webhooks`: one per alert event a webhook subscribes to, and the digest of a crawl. */
export function webhookOperations(): Record<string, JsonSchema> {
  const events = webhookEventTypeSchema.options.map(eventJsonSchema);
  const perEvent = Object.fromEntries(
    webhookEventTypeSchema.options.map((type) => [type, delivery(`One ${type} event`, eventJsonSchema(type))]),
  );
  const digest = {
    type: 'object',
    required: ['type', 'tenantId', 'events'],
    properties: {
      type: { const: 'alert.digest' },
      tenantId: { type: 'string', format: 'uuid' },
      events: { type: 'array', minItems: 1, items: { anyOf: events } },
    },
  };
  return { ...perEvent, 'alert.digest': delivery('The alert events of one crawl, to a digest webhook', digest) };
}
