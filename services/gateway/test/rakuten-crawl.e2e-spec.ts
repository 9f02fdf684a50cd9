import { eventually } from '@shelfwatch/testing';
import { rakutenGroundTruth } from '../../../tools/marketplace-sim/src';
import { Api, Platform, SIM_T0, crawlAndWait, startPlatform } from './gateway.e2e-harness';

const KEYWORD = 'wireless earbuds';
const PROBLEM = 'https://shelfwatch.dev/problems/';

interface LatestRankings {
  crawl: { crawlId: string } | null;
  standings: { productId: string; rank: number | null }[];
}

interface Tenant {
  id: string;
  apiKey: string;
}

describe('Rakuten end to end: REST API → crawler → simulator → ranking', () => {
  let platform: Platform;
  let api: Api;

  /** Requests the simulator saw from an application id, with their answers. */
  const requestsOf = (applicationId: string) =>
    platform.sim.control.requests().filter((request) => request.clientId === applicationId);

  /** A Rakuten product of the tenant that is on the simulated shelf of the keyword at `rank`. */
  async function trackRakutenProductAt(
    tenant: Tenant,
    rank: number,
  ): Promise<{ productId: string; keywordId: string }> {
    const item = rakutenGroundTruth(platform.sim.control, KEYWORD, SIM_T0)[rank - 1];
    expect(item).toBeDefined();
    const created = await api.call<{ id: string; keywords: { keywordId: string }[] }>('POST', '/v1/products', {
      key: tenant.apiKey,
      body: {
        marketplace: 'rakuten',
        externalId: item?.itemCode,
        name: item?.itemName,
        price: 99_999,
        keywords: [KEYWORD],
      },
    });
    expect(created.status).toBe(201);
    return { productId: created.body.id, keywordId: created.body.keywords[0]?.keywordId ?? '' };
  }

  /** The keyword's latest rankings once they are those of `crawlId`. */
  function latestStandings(tenant: Tenant, keywordId: string, crawlId: string): Promise<LatestRankings> {
    return eventually(async () => {
      const latest = await api.call<LatestRankings>('GET', `/v1/keywords/${keywordId}/rankings/latest`, {
        key: tenant.apiKey,
      });
      expect(latest.body.crawl?.crawlId).toBe(crawlId);
      return latest.body;
    }, 15_000);
  }

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('crawls a Rakuten keyword on the platform application id and ranks the product where the shelf has it', async () => {
    const tenant = await api.tenant('rakuten-seller');
    const tracked = await trackRakutenProductAt(tenant, 7);

    const crawlId = await crawlAndWait(api, tenant.apiKey, tracked.keywordId);

    const latest = await latestStandings(tenant, tracked.keywordId, crawlId);
    expect(latest.standings).toEqual([expect.objectContaining({ productId: tracked.productId, rank: 7 })]);
    expect(requestsOf('rakuten-client').length).toBeGreaterThan(0);
    expect(requestsOf('rakuten-client').every((request) => request.status === 200)).toBe(true);
  });

  it('takes a tenant’s own application id without an access key, and crawls with it; Naver still needs a secret', async () => {
    const tenant = await api.tenant('rakuten-own-id');
    const ownId = 'tenant-rakuten-app-0042';

    const stored = await api.call('PUT', '/v1/marketplaces/rakuten/credentials', {
      key: tenant.apiKey,
      body: { clientId: ownId },
    });
    const naver = await api.call<{ type: string; errors: { field: string }[] }>(
      'PUT',
      '/v1/marketplaces/naver/credentials',
      {
        key: tenant.apiKey,
        body: { clientId: 'tenant-naver-client-0042' },
      },
    );

    expect(stored).toMatchObject({ status: 200, body: { marketplace: 'rakuten', source: 'tenant', last4: '0042' } });
    expect(naver.status).toBe(400);
    expect(naver.body.type).toBe(`${PROBLEM}validation`);
    expect(naver.body.errors).toEqual([expect.objectContaining({ field: 'clientSecret' })]);

    const tracked = await trackRakutenProductAt(tenant, 3);
    const crawlId = await crawlAndWait(api, tenant.apiKey, tracked.keywordId);
    const latest = await latestStandings(tenant, tracked.keywordId, crawlId);
    expect(latest.standings).toEqual([expect.objectContaining({ productId: tracked.productId, rank: 3 })]);
    // The check plus the crawl's page, all with the tenant's application id.
    expect(requestsOf(ownId).filter((request) => request.status === 200).length).toBeGreaterThanOrEqual(2);
  });
});
