import type { CrawlItem } from '@shelfwatch/contracts';
import { type RunningSimulator, startSimulator, type TruthItem } from '../../../../tools/marketplace-sim/src';
import { crawlKeyword, type CrawlKeywordOptions } from '../../src/marketplaces/crawl-pages';
import { MarketplaceClient } from '../../src/marketplaces/marketplace-client';
import type { ResolvedCredential } from '../../src/marketplaces/marketplace-credentials';
import { NaverShoppingAdapter } from '../../src/marketplaces/naver/naver.adapter';
import { PauseOnlyBudget } from './memory-budget';
import { TEST_CRAWL, naverCredential } from './test-credential';

const PINNED = '2026-11-22T03:00:00.000Z';
const KEYWORD = '무선 이어폰';

let sim: RunningSimulator;
let client: MarketplaceClient;
let credential: ResolvedCredential;
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

/** The simulator's ground truth, normalized the way the adapter normalizes what it crawls. */
async function truthAt(query: string, at: string): Promise<CrawlItem[]> {
  const truth = await simCall<{ items: TruthItem[] }>(
    'GET',
    `/_sim/truth?${new URLSearchParams({ query, at }).toString()}`,
  );
  return truth.items.map((item) => ({
    rank: item.rank,
    externalId: item.productId,
    title: item.title,
    mall: item.mallName,
    // The truth says 0 for a listing the search serves without a price (`lprice: ""`).
    price: item.lprice === 0 ? null : item.lprice,
    brand: item.brand,
    maker: item.maker,
    category: [item.category1, item.category2, item.category3, item.category4].filter((c) => c !== '').join('>'),
    link: item.link,
    image: item.image,
    productType: String(item.productType),
  }));
}

const crawl = (overrides: Partial<CrawlKeywordOptions> = {}): ReturnType<typeof crawlKeyword> =>
  crawlKeyword(client, {
    keyword: KEYWORD,
    tenantId: TEST_CRAWL.tenantId,
    credential,
    maxPages: 3,
    pageSize: 100,
    trackedExternalIds: [],
    stopWhenAllFound: true,
    timeoutMs: 20_000,
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
  credential = naverCredential(`crawler-${seq}`, 'sim-secret');
  const adapter = new NaverShoppingAdapter({ baseUrl: sim.url });
  client = new MarketplaceClient(adapter, new PauseOnlyBudget(), { name: `naver-sim-${seq}` });
});

afterEach(() => client.close());

describe('crawling the marketplace simulator', () => {
  it('yields exactly the ground truth of the pinned moment', async () => {
    const truth = await truthAt(KEYWORD, PINNED);

    const result = await crawl();

    expect(result.items.length).toBe(Math.min(truth.length, 300));
    expect(result.items).toEqual(truth.slice(0, result.items.length));
  });

  it('costs one request when every tracked product is on page 1', async () => {
    const truth = await truthAt(KEYWORD, PINNED);
    const tracked = [truth[2]?.externalId, truth[40]?.externalId].filter((id): id is string => id !== undefined);

    const result = await crawl({ trackedExternalIds: tracked });

    const stats = await simCall<{ queries: Record<string, number> }>('GET', '/_sim/stats');
    expect(tracked).toHaveLength(2);
    expect(result.pagesFetched).toBe(1);
    expect(stats.queries[KEYWORD]).toBe(1);
  });

  it('backs off on the simulator throttle (012) and still completes the crawl', async () => {
    await simCall('POST', '/_sim/faults', { throttlePerSecond: 2 });

    const result = await crawl({ maxPages: 4 });

    const stats = await simCall<{ clients: Record<string, { byStatus: Record<string, number> }> }>(
      'GET',
      '/_sim/stats',
    );
    expect(result.pagesFetched).toBe(4);
    expect(stats.clients[`crawler-${seq}`]?.byStatus['429']).toBeGreaterThan(0);
  });
});
