import { CrawlerMarketplaceList } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { ebayGroundTruth } from '../../../tools/marketplace-sim/src';
import { Api, Platform, SIM_T0, crawlAndWait, startPlatform } from './gateway.e2e-harness';

/** A keyset the simulator's token endpoint accepts (any non-empty pair no fault rejects). */
const OWN_ID = 'tenant-ebay-app-id-Q7x2';
const OWN_SECRET = 'tenant-ebay-cert-id-51kd';
const PROBLEM = 'https://shelfwatch.dev/problems/';
const KEYWORD = 'usb charger';

interface Tenant {
  id: string;
  apiKey: string;
}

interface LatestRankings {
  crawl: { crawlId: string } | null;
  standings: { productId: string; rank: number | null }[];
}

describe('eBay through the REST API: tenant credentials checked at the token endpoint, a crawl on the simulator', () => {
  let platform: Platform;
  let api: Api;
  let seller: Tenant;
  let other: Tenant;

  const searchesBy = (clientId: string): number => platform.sim.control.stats().clients[clientId]?.requests ?? 0;
  const put = (tenant: Tenant, body: unknown) =>
    api.call<Record<string, unknown>>('PUT', '/v1/marketplaces/ebay/credentials', { key: tenant.apiKey, body });
  const ebayOf = async (tenant: Tenant) =>
    (await api.call<CrawlerMarketplaceList>('GET', '/v1/marketplaces', { key: tenant.apiKey })).body.items.find(
      (item) => item.id === 'ebay',
    );

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    seller = await api.tenant('ebay-seller');
    other = await api.tenant('ebay-other');
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('lists eBay without platform credentials: each tenant brings its own', async () => {
    expect(await ebayOf(other)).toMatchObject({
      id: 'ebay',
      name: 'eBay',
      credentials: { source: 'none', last4: null },
      status: { dailyQuota: 5_000, quotaResetsAt: expect.stringMatching(/T0[78]:00:00\.000Z$/) as unknown },
    });
  });

  it('refuses a keyset the token endpoint rejects (invalid_client) with 422 and stores nothing', async () => {
    platform.sim.control.setFaults({ rejectedClientIds: ['revoked-ebay-app-0001'] });

    const refused = await put(other, { clientId: 'revoked-ebay-app-0001', clientSecret: 'revoked-ebay-cert-0001' });

    platform.sim.control.setFaults({ rejectedClientIds: [] });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: `${PROBLEM}credentials-rejected`, status: 422 });
    expect(refused.text).not.toContain('revoked-ebay-cert-0001');
    expect((await ebayOf(other))?.credentials.source).toBe('none');
  });

  it("accepts a keyset after one live search, then crawls the tenant's eBay product with it and ranks it", async () => {
    const before = searchesBy(OWN_ID);
    const stored = await put(seller, { clientId: OWN_ID, clientSecret: OWN_SECRET });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ marketplace: 'ebay', source: 'tenant', last4: 'Q7x2' });
    expect(searchesBy(OWN_ID)).toBe(before + 1);

    // The default site: EBAY_US.
    const listing = ebayGroundTruth(platform.sim.control, KEYWORD, 'EBAY_US', SIM_T0)[3];
    if (listing === undefined) {
      throw new Error(`the simulated shelf of ${KEYWORD} has fewer than 4 listings`);
    }
    const created = await api.call<{ id: string; keywords: { keywordId: string }[] }>('POST', '/v1/products', {
      key: seller.apiKey,
      body: { marketplace: 'ebay', externalId: listing.itemId, name: listing.title, price: 10, keywords: [KEYWORD] },
    });
    expect(created.status).toBe(201);
    const keywordId = created.body.keywords[0]?.keywordId ?? '';
    const beforeCrawl = searchesBy(OWN_ID);

    const crawlId = await crawlAndWait(api, seller.apiKey, keywordId);

    expect(searchesBy(OWN_ID)).toBeGreaterThan(beforeCrawl);
    const latest = await eventually(async () => {
      const got = await api.call<LatestRankings>('GET', `/v1/keywords/${keywordId}/rankings/latest`, {
        key: seller.apiKey,
      });
      expect(got.body.crawl?.crawlId).toBe(crawlId);
      return got;
    }, 15_000);
    expect(latest.body.standings).toEqual([expect.objectContaining({ productId: created.body.id, rank: 4 })]);
    expect((await ebayOf(seller))?.credentials).toMatchObject({ source: 'tenant', last4: 'Q7x2' });
  });

  it('fails the eBay crawl of a tenant without credentials as auth_failed, naming what to set', async () => {
    const created = await api.call<{ keywords: { keywordId: string }[] }>('POST', '/v1/products', {
      key: other.apiKey,
      body: { marketplace: 'ebay', externalId: 'v1|1|0', name: 'Charger', price: 10, keywords: [KEYWORD] },
    });
    const keywordId = created.body.keywords[0]?.keywordId ?? '';

    expect(created.status).toBe(201);

    // The crawler learns of the keyword through its projection: retried until it takes the request.
    const requested = await eventually(async () => {
      const got = await api.call<{ crawlId: string }>('POST', '/v1/crawls', { key: other.apiKey, body: { keywordId } });
      expect(got.status).toBe(202);
      return got;
    }, 15_000);
    const run = await eventually(async () => {
      const got = await api.call<{ status: string }>('GET', `/v1/crawls/${requested.body.crawlId}`, {
        key: other.apiKey,
      });
      expect(got.body.status).toBe('failed');
      return got;
    }, 30_000);
    expect(run.body).toMatchObject({
      failureCode: 'auth_failed',
      failureMessage: expect.stringContaining('EBAY_CLIENT_ID') as unknown,
      pagesFetched: 0,
    });
  });
});
