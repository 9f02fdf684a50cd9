import { Page, RankingProductView } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { Api, Platform, startPlatform, trackProductAt } from './gateway.e2e-harness';

type ProductBody = RankingProductView;
type PageBody<T> = Page<T>;

/** Products, keywords, exclusions, crawls and latest rankings through the gateway, against the real services. */
describe('gateway → ranking and crawler routes', () => {
  let platform: Platform;
  let api: Api;
  let key: string;
  let tracked: { productId: string; keywordId: string; externalId: string };

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    key = (await api.tenant('acme')).apiKey;
    tracked = await trackProductAt(api, key, 'wireless earbuds', 5);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('creates, reads, updates products and pages through them with a database total', async () => {
    for (const n of [1, 2, 3]) {
      const created = await api.call('POST', '/v1/products', {
        key,
        body: { marketplace: 'naver', externalId: `own-${n}`, name: `Own ${n}`, price: 1_000 * n },
      });
      expect(created.status).toBe(201);
    }
    const first = await api.call<PageBody<ProductBody>>('GET', '/v1/products?limit=2', { key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 4, nextCursor: expect.any(String) });
    expect(first.body.items).toHaveLength(2);
    const second = await api.call<PageBody<ProductBody>>(
      'GET',
      `/v1/products?limit=2&cursor=${first.body.nextCursor ?? ''}`,
      { key },
    );
    expect(second.body).toMatchObject({ total: 4, nextCursor: null });
    expect(second.body.items).toHaveLength(2);

    const id = first.body.items[1]?.id ?? '';
    const patched = await api.call<ProductBody>('PATCH', `/v1/products/${id}`, { key, body: { price: 4_321 } });
    expect(patched).toMatchObject({ status: 200, body: { id, price: 4_321 } });
    expect((await api.call<ProductBody>('GET', `/v1/products/${id}`, { key })).body.price).toBe(4_321);
    expect((await api.call('DELETE', `/v1/products/${id}`, { key })).status).toBe(204);
    expect((await api.call('GET', `/v1/products/${id}`, { key })).status).toBe(404);
  });

  it('attaches a keyword (201, then 200 when already attached), lists and detaches it', async () => {
    const path = `/v1/products/${tracked.productId}/keywords`;
    const added = await api.call<{ keywordId: string; created: boolean }>('POST', path, {
      key,
      body: { keyword: '  Bluetooth   Speaker ', intervalMinutes: 30 },
    });
    expect(added).toMatchObject({ status: 201, body: { keyword: 'bluetooth speaker', created: true } });
    const again = await api.call('POST', path, { key, body: { keyword: 'bluetooth speaker' } });
    expect(again).toMatchObject({ status: 200, body: { created: false } });
    const listed = await api.call<PageBody<{ keyword: string }>>('GET', `/v1/keywords?productId=${tracked.productId}`, {
      key,
    });
    expect(listed.body.items.map((k) => k.keyword).sort()).toEqual(['bluetooth speaker', 'wireless earbuds']);
    expect((await api.call('GET', '/v1/keywords', { key })).body).toMatchObject({ total: 2 });
    const removed = await api.call('DELETE', `${path}/${added.body.keywordId}`, { key });
    expect(removed.status).toBe(204);
    expect((await api.call('DELETE', `${path}/${added.body.keywordId}`, { key })).status).toBe(404);
  });

  it('adds, lists and deletes exclusions; a duplicate is a 409 problem', async () => {
    const body = { kind: 'mall', value: 'My Reseller' };
    const created = await api.call<{ id: string }>('POST', '/v1/exclusions', { key, body });
    expect(created).toMatchObject({ status: 201, body: { kind: 'mall', value: 'my reseller' } });
    const duplicate = await api.call('POST', '/v1/exclusions', { key, body });
    expect(duplicate).toMatchObject({ status: 409, body: { type: 'https://shelfwatch.dev/problems/conflict' } });
    expect((await api.call('GET', '/v1/exclusions', { key })).body).toMatchObject({ total: 1 });
    expect((await api.call('DELETE', `/v1/exclusions/${created.body.id}`, { key })).status).toBe(204);
    expect((await api.call('GET', '/v1/exclusions', { key })).body).toMatchObject({ total: 0, items: [] });
  });

  it('pages keywords and exclusions by cursor: each page after the last, no item twice, the database total', async () => {
    const pager = (await api.tenant('pager')).apiKey;
    const product = await api.call('POST', '/v1/products', {
      key: pager,
      body: {
        marketplace: 'naver',
        externalId: 'pager-1',
        name: 'Pager',
        price: 1_000,
        keywords: ['a one', 'b two', 'c three'],
      },
    });
    expect(product.status).toBe(201);
    for (const value of ['mall one', 'mall two', 'mall three']) {
      expect((await api.call('POST', '/v1/exclusions', { key: pager, body: { kind: 'mall', value } })).status).toBe(
        201,
      );
    }
    for (const [path, field, all] of [
      ['/v1/keywords', 'keyword', ['a one', 'b two', 'c three']],
      ['/v1/exclusions', 'value', ['mall one', 'mall three', 'mall two']],
    ] as const) {
      const first = await api.call<PageBody<Record<string, string>>>('GET', `${path}?limit=2`, { key: pager });
      expect(first.body).toMatchObject({ total: 3, nextCursor: expect.any(String) });
      expect(first.body.items).toHaveLength(2);
      const second = await api.call<PageBody<Record<string, string>>>(
        'GET',
        `${path}?limit=2&cursor=${first.body.nextCursor ?? ''}`,
        { key: pager },
      );
      expect(second.body).toMatchObject({ total: 3, nextCursor: null });
      expect(second.body.items).toHaveLength(1);
      const seen = [...first.body.items, ...second.body.items].map((item) => item[field]);
      expect([...seen].sort()).toEqual(all);
    }
  });

  it('crawls on demand: 202 with the crawl id, 409 while it runs, then its run, ranking and product standing', async () => {
    platform.sim.control.setFaults({ latencyMs: 1_500 });
    const requested = await api.call<{ crawlId: string }>('POST', '/v1/crawls', {
      key,
      body: { keywordId: tracked.keywordId },
    });
    expect(requested).toMatchObject({ status: 202, body: { crawlId: expect.any(String) } });
    const busy = await api.call('POST', '/v1/crawls', { key, body: { keywordId: tracked.keywordId } });
    expect(busy).toMatchObject({
      status: 409,
      body: { type: 'https://shelfwatch.dev/problems/crawl-already-running', status: 409 },
    });
    platform.sim.control.setFaults({ latencyMs: 0 });

    const run = await eventually(async () => {
      const got = await api.call<{ status: string }>('GET', `/v1/crawls/${requested.body.crawlId}`, { key });
      expect(got.body.status).toBe('completed');
      return got;
    }, 30_000);
    expect(run.body).toMatchObject({
      crawlId: requested.body.crawlId,
      keywordId: tracked.keywordId,
      trigger: 'manual',
      attempts: 1,
      nextAttemptAt: null,
    });
    const completed = await api.call('GET', '/v1/crawls?status=completed', { key });
    expect(completed.body).toMatchObject({ total: 1, items: [{ crawlId: requested.body.crawlId }] });
    expect((await api.call('GET', '/v1/crawls?status=failed', { key })).body).toMatchObject({ total: 0 });

    const latest = await eventually(async () => {
      const got = await api.call<{ crawl: { crawlId: string } | null; entries?: unknown[] }>(
        'GET',
        `/v1/keywords/${tracked.keywordId}/rankings/latest`,
        { key },
      );
      expect(got.body.crawl?.crawlId).toBe(requested.body.crawlId);
      return got;
    }, 15_000);
    expect(latest.body).toMatchObject({
      crawl: { orderFidelity: 'exact' },
      standings: [{ productId: tracked.productId, rank: 5, currency: 'KRW', otherCurrencyCompetitors: 0 }],
    });
    expect(latest.body.entries?.[0]).toMatchObject({ currency: 'KRW', placement: 'organic' });

    const product = await api.call<ProductBody>('GET', `/v1/products/${tracked.productId}`, { key });
    expect(product.body.keywords).toEqual([
      {
        keywordId: tracked.keywordId,
        keyword: 'wireless earbuds',
        rank: 5,
        change: null,
        lowestCompetitorPrice: expect.any(Number),
        lastCrawledAt: expect.any(String),
        myPrice: expect.any(Number),
        priceSource: expect.stringMatching(/^(observed|catalog)$/),
        observedMall: expect.anything(),
        currency: 'KRW',
        orderFidelity: 'exact',
        intervalMinutes: 60,
        paused: false,
        crawlHealth: { failing: false, consecutiveFailures: 0, lastError: null, lastCrawledAt: expect.any(String) },
      },
    ]);
    const listed = await api.call<PageBody<ProductBody>>('GET', '/v1/products', { key });
    expect(listed.body.items.find((p) => p.id === tracked.productId)?.keywords[0]?.rank).toBe(5);
    const keywords = await api.call<PageBody<{ id: string }>>('GET', `/v1/keywords?productId=${tracked.productId}`, {
      key,
    });
    expect(keywords.body.items.find((k) => k.id === tracked.keywordId)).toMatchObject({
      crawlHealth: { failing: false, consecutiveFailures: 0, lastError: null, lastCrawledAt: expect.any(String) },
    });
  }, 60_000);

  it('crawls every keyword of a product', async () => {
    const requested = await eventually(async () => {
      const got = await api.call('POST', '/v1/crawls', { key, body: { productId: tracked.productId } });
      expect(got.status).toBe(202);
      return got;
    }, 15_000);
    expect(requested.body).toEqual({
      crawls: [{ keywordId: tracked.keywordId, crawlId: expect.any(String) }],
      alreadyRunning: [],
    });
    const none = await api.call('POST', '/v1/crawls', {
      key,
      body: { productId: '01a203f9-0000-7000-8000-000000000000' },
    });
    expect(none.status).toBe(404);
  });
});
