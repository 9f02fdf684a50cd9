import { JsonSchema } from './openapi-components';
import { breakingChanges } from './openapi-diff';

/** A small document: one list route with a filter and a create route, both answering a Product. */
function document(overrides: { product?: JsonSchema; create?: JsonSchema; status?: JsonSchema } = {}): JsonSchema {
  const product = overrides.product ?? {
    type: 'object',
    required: ['id', 'name', 'createdAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  };
  const create = overrides.create ?? {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, price: { type: 'number' } },
  };
  const status = overrides.status ?? { type: 'string', enum: ['open', 'acknowledged', 'resolved'] };
  const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
  return {
    openapi: '3.1.0',
    info: { title: 'test', version: '0.1.0' },
    paths: {
      '/v1/products': {
        get: {
          parameters: [{ name: 'status', in: 'query', required: false, schema: status }],
          responses: {
            '200': { description: 'ok', ...json({ type: 'array', items: { $ref: '#/components/schemas/Product' } }) },
          },
        },
        post: {
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/CreateProduct' }) },
          responses: { '201': { description: 'ok', ...json({ $ref: '#/components/schemas/Product' }) } },
        },
      },
    },
    components: { schemas: { Product: product, CreateProduct: create } },
  };
}

function without(object: JsonSchema, key: string): JsonSchema {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));
}

describe('breakingChanges', () => {
  it('finds none between a document and itself', () => {
    expect(breakingChanges(document(), document())).toEqual([]);
  });

  it('lets compatible changes through: a new optional request field, a new response field, a wider enum', () => {
    const after = document({
      create: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, price: { type: 'number' }, note: { type: 'string' } },
      },
      product: {
        type: 'object',
        required: ['id', 'name', 'createdAt', 'site'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          site: { type: 'string' },
        },
      },
      status: { type: 'string', enum: ['open', 'acknowledged', 'resolved', 'snoozed'] },
    });
    expect(breakingChanges(document(), after)).toEqual([]);
  });

  it('flags a removed path and a removed operation', () => {
    const before = document();
    const paths = before.paths as Record<string, JsonSchema>;
    const products = paths['/v1/products'] ?? {};
    expect(breakingChanges(before, { ...before, paths: {} })).toEqual(['removed path /v1/products']);
    expect(breakingChanges(before, { ...before, paths: { '/v1/products': without(products, 'post') } })).toEqual([
      'removed operation POST /v1/products',
    ]);
  });

  it('flags a removed response field and one that may now be absent, wherever the schema is used', () => {
    const after = document({
      product: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
      },
    });
    expect(breakingChanges(document(), after)).toEqual([
      'GET /v1/products response 200[]: field name may now be absent',
      'GET /v1/products response 200[]: removed field createdAt',
      'POST /v1/products response 201: field name may now be absent',
      'POST /v1/products response 201: removed field createdAt',
    ]);
  });

  it('flags a new required request field and a new required parameter', () => {
    const after = document({
      create: {
        type: 'object',
        required: ['name', 'price'],
        properties: { name: { type: 'string' }, price: { type: 'number' } },
      },
    });
    const paths = after.paths as Record<string, Record<string, JsonSchema>>;
    const list = paths['/v1/products']?.get ?? {};
    list.parameters = [{ name: 'status', in: 'query', required: true, schema: { type: 'string' } }];
    expect(breakingChanges(document(), after)).toEqual([
      'GET /v1/products: new required query parameter status',
      'POST /v1/products request body: new required field price',
    ]);
  });

  it('flags an enum of a request that accepts fewer values', () => {
    const after = document({ status: { type: 'string', enum: ['open', 'resolved'] } });
    expect(breakingChanges(document(), after)).toEqual([
      'GET /v1/products query status: enum no longer accepts "acknowledged"',
    ]);
  });
});
