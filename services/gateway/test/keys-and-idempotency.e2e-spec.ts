import { MikroORM } from '@mikro-orm/postgresql';
import { ADMIN_KEY, Api, Platform, startPlatform } from './gateway.e2e-harness';

const PRODUCT = { marketplace: 'naver', externalId: 'idem-1', name: 'Idempotent', price: 10 };
const problemType = (slug: string): string => `https://shelfwatch.dev/problems/${slug}`;

/** Tenants, API keys (shown once, stored hashed, rotated, revoked) and Idempotency-Key replays. */
describe('gateway keys and idempotency', () => {
  let platform: Platform;
  let api: Api;
  let tenant: { id: string; apiKey: string };

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    tenant = await api.tenant('acme');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses missing, unknown and misplaced keys with 401/403 problems', async () => {
    const none = await api.call('GET', '/v1/products');
    expect(none).toMatchObject({ status: 401, body: { type: problemType('unauthorized'), status: 401 } });
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect((await api.call('GET', '/v1/products', { key: `sw_test_${'0'.repeat(64)}` })).status).toBe(401);
    expect((await api.call('GET', '/v1/products', { key: 'garbage' })).status).toBe(401);
    expect((await api.call('GET', '/v1/products', { key: ADMIN_KEY })).status).toBe(403);
    expect((await api.call('POST', '/v1/tenants', { key: tenant.apiKey, body: { name: 'x' } })).status).toBe(403);
  });

  it('shows a key once, lists keys without it, and stores only a SHA-256 hash', async () => {
    expect(tenant.apiKey).toMatch(/^sw_test_[0-9a-f]{64}$/);
    expect(await api.call('GET', '/v1/tenant', { key: tenant.apiKey })).toMatchObject({
      status: 200,
      body: { id: tenant.id, name: 'acme' },
    });
    const listed = await api.call('GET', '/v1/api-keys', { key: tenant.apiKey });
    expect(listed.body).toMatchObject({ total: 1, items: [{ label: 'initial', revokedAt: null }] });
    expect(listed.text).not.toContain(tenant.apiKey.slice(8));
    const orm = api.sut.app.get(MikroORM);
    const rows = await orm.em
      .fork()
      .execute<{ row: string }[]>('select row_to_json(k)::text as row from gateway.api_keys k');
    expect(rows.some(({ row }) => row.includes(tenant.apiKey.slice(20)))).toBe(false);
  });

  it('issues, rotates (with and without grace) and revokes keys', async () => {
    const issued = await api.call<{ id: string; apiKey: string }>('POST', '/v1/api-keys', {
      key: tenant.apiKey,
      body: { label: 'ci' },
    });
    expect(issued).toMatchObject({ status: 201, body: { label: 'ci', apiKey: expect.stringMatching(/^sw_test_/) } });
    expect((await api.call('GET', '/v1/products', { key: issued.body.apiKey })).status).toBe(200);

    const graceful = await api.call<{ apiKey: string }>('POST', `/v1/api-keys/${issued.body.id}/rotate`, {
      key: tenant.apiKey,
      body: { graceSeconds: 600 },
    });
    expect(graceful.status).toBe(201);
    expect((await api.call('GET', '/v1/products', { key: issued.body.apiKey })).status).toBe(200);
    expect((await api.call('GET', '/v1/products', { key: graceful.body.apiKey })).status).toBe(200);

    const immediate = await api.call<{ id: string; apiKey: string }>('POST', `/v1/api-keys/${issued.body.id}/rotate`, {
      key: tenant.apiKey,
    });
    expect(immediate.status).toBe(201);
    expect((await api.call('GET', '/v1/products', { key: issued.body.apiKey })).status).toBe(401);

    expect((await api.call('DELETE', `/v1/api-keys/${immediate.body.id}`, { key: tenant.apiKey })).status).toBe(204);
    expect((await api.call('GET', '/v1/products', { key: immediate.body.apiKey })).status).toBe(401);
    expect((await api.call('DELETE', `/v1/api-keys/${immediate.body.id}`, { key: tenant.apiKey })).status).toBe(404);
  });

  it('lets the operator issue a key to a tenant, and 404s an unknown tenant', async () => {
    const issued = await api.call<{ apiKey: string }>('POST', `/v1/tenants/${tenant.id}/api-keys`, {
      key: ADMIN_KEY,
      body: { label: 'recovery' },
    });
    expect(issued.status).toBe(201);
    expect((await api.call('GET', '/v1/tenant', { key: issued.body.apiKey })).body).toMatchObject({ id: tenant.id });
    const unknown = await api.call('POST', '/v1/tenants/01a203f9-0000-7000-8000-000000000000/api-keys', {
      key: ADMIN_KEY,
    });
    expect(unknown).toMatchObject({ status: 404, body: { type: problemType('not-found') } });
  });

  it('replays the first answer for the same Idempotency-Key and body, and refuses a reuse with another body', async () => {
    const headers = { 'idempotency-key': 'create-idem-1' };
    const first = await api.call<{ id: string }>('POST', '/v1/products', {
      key: tenant.apiKey,
      body: PRODUCT,
      headers,
    });
    expect(first.status).toBe(201);
    const again = await api.call<{ id: string }>('POST', '/v1/products', {
      key: tenant.apiKey,
      body: PRODUCT,
      headers,
    });
    expect(again).toMatchObject({ status: 201, body: { id: first.body.id } });
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await api.call('POST', '/v1/products', {
      key: tenant.apiKey,
      body: { ...PRODUCT, price: 11 },
      headers,
    });
    expect(other).toMatchObject({ status: 422, body: { type: problemType('idempotency-key-reused') } });
    expect((await api.call('GET', '/v1/products', { key: tenant.apiKey })).body).toMatchObject({ total: 1 });

    // The key is scoped to the tenant: another tenant's same key is a new request.
    const otherTenant = await api.tenant('globex');
    const theirs = await api.call<{ id: string }>('POST', '/v1/products', {
      key: otherTenant.apiKey,
      body: PRODUCT,
      headers,
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('replays a refusal too, and rejects a malformed Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'dup-exclusion' };
    const body = { kind: 'product', value: 'x-1' };
    expect((await api.call('POST', '/v1/exclusions', { key: tenant.apiKey, body })).status).toBe(201);
    const refused = await api.call('POST', '/v1/exclusions', { key: tenant.apiKey, body, headers });
    expect(refused.status).toBe(409);
    const replayed = await api.call('POST', '/v1/exclusions', { key: tenant.apiKey, body, headers });
    expect(replayed).toMatchObject({ status: 409, body: { type: problemType('conflict') } });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const malformed = await api.call('POST', '/v1/exclusions', {
      key: tenant.apiKey,
      body,
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { errors: [{ in: 'header', field: 'Idempotency-Key' }] },
    });
  });
});
