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

  it("lists Naver with the platform's credentials and its status, which a completed crawl turns ok, and Rakuten", async () => {
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
        id: 'rakuten',
        name: 'Rakuten Ichiba',
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
