import { RANKING_RPC } from '@shelfwatch/contracts';
import { histogramCount } from '../../../libs/resilience/test/metric-value';
import { ADMIN_KEY, Api, Platform, startPlatform } from './gateway.e2e-harness';
import { TEST_REDIS_URL, dropRateLimitKeys } from './rate-limit-keys';

const REDIS_URL = TEST_REDIS_URL;

interface ProductPage {
  items: { id: string; name: string }[];
  total: number;
}

/**
 * The gateway keeps the answers of `GET /v1/products` (and the rank and price histories) per tenant for
 * `API_ANSWER_CACHE_TTL_MS`: ranking computes a page once however often it is read, a tenant's change through the
 * replica is read back at once, and another replica sees it within its TTL.
 */
describe('answers kept by the gateway', () => {
  let platform: Platform;
  let api: Api;
  let tenant: { id: string; apiKey: string };

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    tenant = await api.tenant('cached');
  });

  afterAll(async () => {
    if (platform) {
      await platform.stop();
      // The replicas' change counters would live a day.
      await dropRateLimitKeys(platform.environment.nats.namespace);
    }
  });

  const computed = () =>
    histogramCount('shelfwatch_rpc_request_duration_seconds', { subject: RANKING_RPC.productList, outcome: 'ok' });

  const create = async (via: Api, key: string, name: string): Promise<string> => {
    const created = await via.call<{ id: string }>('POST', '/v1/products', {
      key,
      body: { marketplace: 'naver', externalId: `ext-${name}`, name, price: 10_000 },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };

  const list = (via: Api, key: string, query = '?limit=20', headers: Record<string, string> = {}) =>
    via.call<ProductPage>('GET', `/v1/products${query}`, { key, headers });

  const names = (page: { body: ProductPage }) => page.body.items.map((item) => item.name).sort();

  it('computes a page once however many requests read it, and reads the tenant’s own change back at once', async () => {
    await create(api, tenant.apiKey, 'first');
    const before = await computed();
    const started = performance.now();
    const first = await list(api, tenant.apiKey);
    expect(first.status).toBe(200);
    expect(first.headers['cache-status']).toBe('shelfwatch-gateway; fwd=uri-miss');
    expect(names(first)).toEqual(['first']);
    const reads = await Promise.all(Array.from({ length: 40 }, () => list(api, tenant.apiKey)));
    // The order of the query or a parameter the route ignores is the same question.
    reads.push(await list(api, tenant.apiKey, '?ignored=1&limit=20'));
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(read.text).toBe(first.text);
      expect(read.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(reads.some((read) => read.headers['cache-status'] === 'shelfwatch-gateway; hit')).toBe(true);
    // Computed afresh each time it would be 42 whatever the machine's speed; kept, at most twice per TTL (1 s): once
    // when missed, once ahead of its expiry.
    const seconds = (performance.now() - started) / 1_000;
    expect((await computed()) - before).toBeLessThanOrEqual(2 * Math.ceil(seconds) + 1);

    await create(api, tenant.apiKey, 'second');
    const after = await list(api, tenant.apiKey);
    expect(after.headers['cache-status']).toBe('shelfwatch-gateway; fwd=uri-miss');
    expect(names(after)).toEqual(['first', 'second']);
  });

  it('answers another tenant the same question with its own page', async () => {
    const other = await api.tenant('cached-other');
    await list(api, tenant.apiKey);
    const theirs = await list(api, other.apiKey);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
  });

  it('computes afresh for Cache-Control: no-cache, and keeps nothing for a failure', async () => {
    const fresh = await list(api, tenant.apiKey, '?limit=20', { 'cache-control': 'no-cache' });
    expect(fresh.headers['cache-status']).toBe('shelfwatch-gateway; fwd=request');
    expect(fresh.body.total).toBe(2);
    const refused = await list(api, tenant.apiKey, '?limit=0');
    expect(refused.status).toBe(400);
    expect(refused.headers['cache-status']).toBeUndefined();
  });

  it('replicas sharing Redis read a change made through any of them at once, however long they keep answers', async () => {
    // As deployed (k8s/base/gateway.yaml): every replica on the same Redis, here with a minute's TTL.
    const shared = { API_ANSWER_CACHE_TTL_MS: '60000', RATE_LIMIT_REDIS_URL: REDIS_URL };
    const [a, b] = [await platform.extraGateway(shared), await platform.extraGateway(shared)];
    const owner = await api.tenant('cached-shared');
    await create(a, owner.apiKey, 'one');
    expect((await list(b, owner.apiKey)).body.total).toBe(1);
    expect((await list(b, owner.apiKey)).headers['cache-status']).toBe('shelfwatch-gateway; hit');
    await create(a, owner.apiKey, 'two');
    const afterChange = await list(b, owner.apiKey);
    expect(afterChange.headers['cache-status']).toBe('shelfwatch-gateway; fwd=uri-miss');
    expect(names(afterChange)).toEqual(['one', 'two']);
    // Another tenant's change leaves this tenant's answers kept; the operator's drops them.
    const neighbour = await api.tenant('cached-neighbour');
    await create(a, neighbour.apiKey, 'elsewhere');
    expect((await list(b, owner.apiKey)).headers['cache-status']).toBe('shelfwatch-gateway; hit');
    const planned = await a.call('PUT', `/v1/tenants/${neighbour.id}/plan`, { key: ADMIN_KEY, body: { plan: 'pro' } });
    expect(planned.status).toBe(200);
    expect((await list(b, owner.apiKey)).headers['cache-status']).toBe('shelfwatch-gateway; fwd=uri-miss');
  });

  it('another replica answers what it kept for at most its TTL; the change’s own replica at once', async () => {
    // A TTL of a minute makes the other replica's old answer certain, whatever the machine's speed.
    const other = await platform.extraGateway({ API_ANSWER_CACHE_TTL_MS: '60000' });
    const kept = await list(other, tenant.apiKey, '?limit=50');
    expect(kept.body.total).toBe(2);
    await create(api, tenant.apiKey, 'third');
    expect((await list(api, tenant.apiKey, '?limit=50')).body.total).toBe(3);
    const stale = await list(other, tenant.apiKey, '?limit=50');
    expect(stale.headers['cache-status']).toBe('shelfwatch-gateway; hit');
    expect(stale.body.total).toBe(2);
    expect((await list(other, tenant.apiKey, '?limit=50', { 'cache-control': 'no-cache' })).body.total).toBe(3);
    // And with the cache off, every read is computed.
    const off = await platform.extraGateway({ API_ANSWER_CACHE_TTL_MS: '0' });
    const uncached = await list(off, tenant.apiKey, '?limit=50');
    expect(uncached.body.total).toBe(3);
    expect(uncached.headers['cache-status']).toBeUndefined();
  });
});
