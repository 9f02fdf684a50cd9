import { eventually } from '@shelfwatch/testing';
import { ApiRoutes } from '../src/http/api-routes';
import { EXTRA_SERVICES } from './extra-services';
import { ANY_UNDERCUT_RULES, Api, Platform, crawlAndWait, startPlatform, trackProductAt } from './gateway.e2e-harness';

/** Ids of tenant A's resources, one of each kind a route can address. */
interface Owned {
  product: string;
  keyword: string;
  exclusion: string;
  crawl: string;
  alert: string;
  webhook: string;
  apiKey: string;
}

/** Every tenant route that takes an id, filled with A's ids (the test fails if the table has one more). */
function idRoutes(a: Owned): Record<string, { path: string; body?: unknown }> {
  return {
    'GET /v1/products/:id': { path: `/v1/products/${a.product}` },
    'PATCH /v1/products/:id': { path: `/v1/products/${a.product}`, body: { name: 'stolen' } },
    'DELETE /v1/products/:id': { path: `/v1/products/${a.product}` },
    'POST /v1/products/:id/keywords': { path: `/v1/products/${a.product}/keywords`, body: { keyword: 'x' } },
    'DELETE /v1/products/:id/keywords/:keywordId': { path: `/v1/products/${a.product}/keywords/${a.keyword}` },
    'GET /v1/products/:id/rank-history': { path: `/v1/products/${a.product}/rank-history` },
    'GET /v1/keywords/:id/rankings/latest': { path: `/v1/keywords/${a.keyword}/rankings/latest` },
    'PATCH /v1/keywords/:id': { path: `/v1/keywords/${a.keyword}`, body: { paused: true } },
    'DELETE /v1/exclusions/:id': { path: `/v1/exclusions/${a.exclusion}` },
    'GET /v1/crawls/:id': { path: `/v1/crawls/${a.crawl}` },
    'GET /v1/alerts/:id': { path: `/v1/alerts/${a.alert}` },
    'POST /v1/alerts/:id/ack': { path: `/v1/alerts/${a.alert}/ack` },
    'DELETE /v1/webhooks/:id': { path: `/v1/webhooks/${a.webhook}` },
    'GET /v1/webhooks/:id/deliveries': { path: `/v1/webhooks/${a.webhook}/deliveries` },
    'POST /v1/api-keys/:id/rotate': { path: `/v1/api-keys/${a.apiKey}/rotate` },
    'DELETE /v1/api-keys/:id': { path: `/v1/api-keys/${a.apiKey}` },
  };
}

/** Routes that take A's ids in the query or body: B gets a 404 or an empty answer, never A's data. */
function idInputs(a: Owned): { method: string; path: string; body?: unknown }[] {
  return [
    { method: 'POST', path: '/v1/crawls', body: { keywordId: a.keyword } },
    { method: 'POST', path: '/v1/crawls', body: { productId: a.product } },
    { method: 'GET', path: `/v1/keywords?productId=${a.product}` },
    { method: 'GET', path: `/v1/crawls?keywordId=${a.keyword}` },
    { method: 'GET', path: `/v1/alerts?productId=${a.product}` },
    { method: 'GET', path: `/v1/reports/brands?keywordId=${a.keyword}` },
    { method: 'GET', path: `/v1/reports/price-history?productId=${a.product}&keywordId=${a.keyword}` },
    { method: 'GET', path: `/v1/reports/export.csv?productId=${a.product}&from=2026-01-01T00:00:00Z` },
  ];
}

describe('tenant isolation: tenant B on tenant A’s ids', () => {
  let platform: Platform;
  let api: Api;
  let keyA: string;
  let keyB: string;
  let owned: Owned;
  let secretName: string;

  beforeAll(async () => {
    platform = await startPlatform(EXTRA_SERVICES);
    api = platform.api;
    const a = await api.tenant('tenant-a');
    keyA = a.apiKey;
    keyB = (await api.tenant('tenant-b')).apiKey;
    await api.call('PUT', '/v1/alert-rules', { key: keyA, body: { defaults: ANY_UNDERCUT_RULES, overrides: [] } });
    const tracked = await trackProductAt(api, keyA, 'wireless earbuds', 2);
    secretName = (await api.call<{ name: string }>('GET', `/v1/products/${tracked.productId}`, { key: keyA })).body
      .name;
    const crawl = await crawlAndWait(api, keyA, tracked.keywordId);
    const alerts = await eventually(async () => {
      const got = await api.call<{ items: { id: string }[] }>('GET', '/v1/alerts', { key: keyA });
      expect(got.body.items.length).toBeGreaterThan(0);
      return got;
    }, 20_000);
    const exclusion = await api.call<{ id: string }>('POST', '/v1/exclusions', {
      key: keyA,
      body: { kind: 'mall', value: 'a-secret-mall' },
    });
    const webhook = await api.call<{ id: string }>('POST', '/v1/webhooks', {
      key: keyA,
      body: { url: 'http://127.0.0.1:9/hook', events: ['alert.resolved'] },
    });
    const keys = await api.call<{ items: { id: string }[] }>('GET', '/v1/api-keys', { key: keyA });
    owned = {
      product: tracked.productId,
      keyword: tracked.keywordId,
      exclusion: exclusion.body.id,
      crawl,
      alert: alerts.body.items[0]?.id ?? '',
      webhook: webhook.body.id,
      apiKey: keys.body.items[0]?.id ?? '',
    };
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 404 problem with none of A’s data on every route that takes an id', async () => {
    // `:marketplace` names a marketplace, not one of A's resources (marketplace-credentials.e2e-spec covers those).
    const table = api.sut.app
      .get(ApiRoutes)
      .all.filter((route) => route.params && route.access === 'tenant' && !route.path.includes(':marketplace'));
    const matrix = idRoutes(owned);
    expect(table.map((route) => `${route.method} ${route.path}`).sort()).toEqual(Object.keys(matrix).sort());
    for (const route of table) {
      const target = matrix[`${route.method} ${route.path}`];
      const answer = await api.call(route.method, target?.path ?? '', { key: keyB, body: target?.body });
      expect({ route: `${route.method} ${route.path}`, status: answer.status }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 404,
      });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.text).not.toContain(secretName);
    }
  }, 60_000);

  it('leaks nothing through ids in queries and bodies either', async () => {
    for (const input of idInputs(owned)) {
      const answer = await api.call(input.method, input.path, { key: keyB, body: input.body });
      expect({ input, ok: [200, 404].includes(answer.status) }).toEqual({ input, ok: true });
      for (const secret of [secretName, owned.crawl, owned.alert, 'a-secret-mall']) {
        expect(answer.text).not.toContain(secret);
      }
      if (answer.status === 200 && answer.headers['content-type']?.toString().includes('json')) {
        const body = answer.body as { items?: unknown[]; series?: unknown[]; points?: unknown[]; brands?: unknown[] };
        for (const list of [body.items, body.series, body.points, body.brands]) {
          expect(list ?? []).toEqual([]);
        }
      }
    }
  });

  it('left A’s resources as they were', async () => {
    expect((await api.call('GET', `/v1/products/${owned.product}`, { key: keyA })).body).toMatchObject({
      name: secretName,
      keywords: [{ keywordId: owned.keyword }],
    });
    expect((await api.call('GET', '/v1/exclusions', { key: keyA })).body).toMatchObject({ total: 1 });
    expect((await api.call('GET', '/v1/webhooks', { key: keyA })).body).toMatchObject({ total: 1 });
    expect((await api.call('GET', `/v1/alerts/${owned.alert}`, { key: keyA })).body).toMatchObject({
      status: 'raised',
    });
    expect((await api.call('GET', '/v1/tenant', { key: keyA })).status).toBe(200);
  });
});
