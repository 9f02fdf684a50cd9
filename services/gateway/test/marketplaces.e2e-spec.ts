import { CrawlerMarketplaceList } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { Api, Platform, crawlAndWait, startPlatform, trackProductAt } from './gateway.e2e-harness';

/** `GET /v1/marketplaces` through the gateway, against the real crawler and the marketplace simulator. */
describe('gateway → GET /v1/marketplaces', () => {
  let platform: Platform;
  let api: Api;

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('needs a tenant key', async () => {
    expect((await api.call('GET', '/v1/marketplaces')).status).toBe(401);
  });

  it("lists Naver with what its API can do, the platform's credentials and its status, which a completed crawl turns ok, and eBay and Rakuten beside it", async () => {
    const { apiKey: key } = await api.tenant('marketplaces');
    const tracked = await trackProductAt(api, key, 'wireless earbuds', 3);
    await crawlAndWait(api, key, tracked.keywordId);
    const listed = await eventually(async () => {
      const answer = await api.call<CrawlerMarketplaceList>('GET', '/v1/marketplaces', { key });
      expect(answer.body.items[0]?.status.state).toBe('ok');
      return answer;
    }, 10_000);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      {
        id: 'naver',
        name: 'Naver Shopping',
        capabilities: {
          pageSize: 100,
          maxDepth: 1100,
          ratePerSecond: 10,
          dailyQuota: 25_000,
          orderFidelity: 'exact',
          fields: ['seller'],
          currencies: ['KRW'],
          sites: [],
          locales: ['ko-KR'],
        },
        credentials: { source: 'platform', last4: null, lastUsedAt: null, updatedAt: null },
        status: {
          state: 'ok',
          breaker: 'closed',
          requestsToday: expect.any(Number) as unknown,
          dailyQuota: 25_000,
          quotaResetsAt: expect.stringMatching(/T15:00:00\.000Z$/) as unknown,
          pausedUntil: null,
          lastError: null,
          successRateLastHour: 1,
          crawlsLastHour: 1,
          keywordsOverdue: 0,
        },
      },
      {
        id: 'ebay',
        name: 'eBay',
        capabilities: expect.objectContaining({
          pageSize: 200,
          orderFidelity: 'approximate',
          currencies: expect.arrayContaining(['USD', 'GBP', 'EUR']) as unknown,
          sites: expect.arrayContaining(['EBAY_US', 'EBAY_GB']) as unknown,
        }) as unknown,
        // The harness gives eBay no platform keyset: tenants bring theirs.
        credentials: { source: 'none', last4: null, lastUsedAt: null, updatedAt: null },
        status: expect.objectContaining({
          state: 'unknown',
          dailyQuota: 5_000,
          requestsToday: 0,
          // Midnight in California: 08:00Z in winter, 07:00Z in summer.
          quotaResetsAt: expect.stringMatching(/T0[78]:00:00\.000Z$/) as unknown,
        }) as unknown,
      },
      {
        id: 'rakuten',
        name: 'Rakuten Ichiba',
        capabilities: expect.objectContaining({ pageSize: 30, orderFidelity: 'exact', currencies: ['JPY'] }) as unknown,
        credentials: { source: 'platform', last4: null, lastUsedAt: null, updatedAt: null },
        status: expect.objectContaining({
          state: 'unknown',
          dailyQuota: 86_400,
          // Midnight in Tokyo.
          quotaResetsAt: expect.stringMatching(/T15:00:00\.000Z$/) as unknown,
        }) as unknown,
      },
    ]);
    expect(listed.body.items[0]?.status.requestsToday).toBeGreaterThan(0);
  });
});
