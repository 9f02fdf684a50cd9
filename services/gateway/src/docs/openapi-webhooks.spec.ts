import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { webhookEventTypeSchema } from '@shelfwatch/contracts';
import { webhookOperations } from './openapi-webhooks';

type Json = Record<string, unknown>;

const raised = {
  id: '0193a6c0-0000-7000-8000-000000000001',
  type: 'alert.raised',
  version: 1,
  occurredAt: '2026-12-04T10:00:00Z',
  tenantId: '0193a6c0-0000-7000-8000-000000000002',
  correlationId: '0193a6c0-0000-7000-8000-000000000003',
  causationId: null,
  data: {
    alertId: '0193a6c0-0000-7000-8000-000000000004',
    ruleId: '0193a6c0-0000-7000-8000-000000000005',
    alertType: 'price_undercut',
    productId: '0193a6c0-0000-7000-8000-000000000006',
    keywordId: '0193a6c0-0000-7000-8000-000000000007',
    crawlId: '0193a6c0-0000-7000-8000-000000000008',
    message: 'Competitor X is 12% below your price',
    details: { myPrice: 10_000, competitorPrice: 8_800, currency: 'KRW' },
  },
};

function bodySchema(name: string): Json {
  const post = (webhookOperations()[name] as { post: Json }).post;
  const body = post.requestBody as { content: { 'application/json': { schema: Json } } };
  return body.content['application/json'].schema;
}

describe('OpenAPI webhooks', () => {
  const ajv = addFormats(new Ajv2020({ strict: false }));

  it('describes each alert event a webhook subscribes to and the digest, each with the signature headers', () => {
    const operations = webhookOperations();
    expect(Object.keys(operations).sort()).toEqual([...webhookEventTypeSchema.options, 'alert.digest'].sort());
    for (const operation of Object.values(operations)) {
      const parameters = (operation as { post: { parameters: { name: string }[] } }).post.parameters;
      expect(parameters.map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    }
  });

  it('accepts the body of a delivered alert.raised, alone or in a digest, tolerates a field added later and refuses a changed shape', () => {
    const single = ajv.compile(bodySchema('alert.raised'));
    const digest = ajv.compile(bodySchema('alert.digest'));
    expect(single(raised)).toBe(true);
    expect(digest({ type: 'alert.digest', tenantId: raised.tenantId, events: [raised] })).toBe(true);
    expect(single({ ...raised, data: { ...raised.data, addedInALaterRelease: true } })).toBe(true);
    expect(single({ ...raised, data: { ...raised.data, alertType: 'unheard_of' } })).toBe(false);
    expect(single({ ...raised, type: 'alert.resolved' })).toBe(false);
    expect(digest({ type: 'alert.digest', tenantId: raised.tenantId, events: [] })).toBe(false);
  });
});
