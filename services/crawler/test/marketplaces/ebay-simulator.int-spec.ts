import { type CrawlItem, EBAY_SITES, type EbaySite } from '@shelfwatch/contracts';
import {
  type EbayTokenStats,
  type EbayTruthItem,
  type RunningSimulator,
  startSimulator,
} from '../../../../tools/marketplace-sim/src';
import { crawlKeyword, type CrawlKeywordOptions } from '../../src/marketplaces/crawl-pages';
import { EbayBrowseAdapter } from '../../src/marketplaces/ebay/ebay.adapter';
import { MarketplaceClient } from '../../src/marketplaces/marketplace-client';
import type { ResolvedCredential } from '../../src/marketplaces/marketplace-credentials';
import { PauseOnlyBudget } from './memory-budget';
import { TEST_CRAWL, ebayCredential } from './test-credential';

const PINNED = '2026-11-22T03:00:00.000Z';
const KEYWORD = 'usb charger';

let sim: RunningSimulator;
let client: MarketplaceClient;
let credential: ResolvedCredential;
let clientId: string;
let seq = 0;

async function simCall<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** The simulator's eBay ground truth, normalized the way the adapter normalizes what it crawls. */
async function truthAt(q: string, site: EbaySite, at: string): Promise<CrawlItem[]> {
  const truth = await simCall<{ items: EbayTruthItem[] }>(
    'GET',
    `/_sim/ebay/truth?${new URLSearchParams({ q, site, at }).toString()}`,
  );
  return truth.items.map((item) => ({
    rank: item.rank,
    externalId: item.itemId,
    title: item.title,
    mall: item.seller.username,
    price: item.price === undefined ? null : Number(item.price.value),
    brand: '',
    maker: '',
    category: item.categories[0]?.categoryName ?? '',
    link: item.itemWebUrl,
    image: item.image?.imageUrl ?? '',
    productType: item.buyingOptions.join(','),
    currency: item.price?.currency ?? EBAY_SITES[site],
    sellerId: item.seller.username,
    condition: item.condition,
    placement: 'organic',
  }));
}

const tokenRequestsOf = async (id: string): Promise<number> =>
  (await simCall<EbayTokenStats>('GET', '/_sim/ebay/tokens')).issued[id] ?? 0;

const crawl = (overrides: Partial<CrawlKeywordOptions> = {}): ReturnType<typeof crawlKeyword> =>
  crawlKeyword(client, {
    keyword: KEYWORD,
    tenantId: TEST_CRAWL.tenantId,
    credential,
    maxPages: 50,
    pageSize: 200,
    trackedExternalIds: [],
    stopWhenAllFound: true,
    timeoutMs: 30_000,
    ...overrides,
  });

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await simCall('POST', '/_sim/reset');
  await simCall('POST', '/_sim/clock', { now: PINNED });
  seq += 1;
  clientId = `ebay-crawler-${seq}`;
  credential = ebayCredential(clientId, 'sim-secret');
  client = new MarketplaceClient(new EbayBrowseAdapter({ baseUrl: sim.url }), new PauseOnlyBudget(), {
    name: `ebay-sim-${seq}`,
    retry: { baseMs: 1, maxMs: 5 },
  });
});

afterEach(() => client.close());

describe('crawling eBay on the marketplace simulator', () => {
  it('pages to the bottom of the shelf and yields exactly the ground truth, with one token for every page', async () => {
    const truth = await truthAt(KEYWORD, 'EBAY_US', PINNED);

    const result = await crawl();

    expect(truth.length).toBeGreaterThan(200);
    expect(result.pagesFetched).toBe(Math.ceil(truth.length / 200));
    expect(result.items).toEqual(truth);
    expect(await tokenRequestsOf(clientId)).toBe(1);
    const searches = (await simCall<{ requests: { clientId: string }[] }>('GET', '/_sim/requests')).requests;
    expect(searches.filter((request) => request.clientId === clientId)).toHaveLength(result.pagesFetched);
  });

  it('searches the site asked for, with prices in its currency', async () => {
    const truth = await truthAt(KEYWORD, 'EBAY_GB', PINNED);

    const result = await crawl({ site: 'EBAY_GB', maxPages: 1 });

    expect(result.items).toEqual(truth.slice(0, 200));
    expect(new Set(result.items.filter((item) => item.price !== null).map((item) => item.currency))).toEqual(
      new Set(['GBP']),
    );
  });

  it('renews an expired token once and completes the crawl', async () => {
    await crawl({ maxPages: 1 });
    await simCall('POST', '/_sim/ebay/tokens', { expire: true });

    const result = await crawl({ maxPages: 2 });

    expect(result.pagesFetched).toBe(2);
    expect(await tokenRequestsOf(clientId)).toBe(2);
  });

  it('pauses the budget until midnight in California when the simulated call limit is spent', async () => {
    await simCall('POST', '/_sim/faults', { dailyQuota: 1 });

    await expect(crawl({ maxPages: 3 })).rejects.toMatchObject({
      code: 'quota_exhausted',
      resumeAt: expect.any(Date) as Date,
    });
  });

  it('backs off on the simulator throttle (429 errorId 2001 with Retry-After) and completes', async () => {
    await simCall('POST', '/_sim/faults', { throttlePerSecond: 2 });

    const result = await crawl({ maxPages: 4, pageSize: 100 });

    const stats = await simCall<{ clients: Record<string, { byStatus: Record<string, number> }> }>(
      'GET',
      '/_sim/stats',
    );
    expect(result.pagesFetched).toBe(4);
    expect(stats.clients[clientId]?.byStatus['429']).toBeGreaterThan(0);
  });
});
