import type { CrawlItem } from '@shelfwatch/contracts';
import {
  KRW_PER_JPY,
  RAKUTEN_SEARCH_PATH,
  type RakutenTruthItem,
  type RunningSimulator,
  startSimulator,
} from '../../../../tools/marketplace-sim/src';
import { crawlKeyword, type CrawlKeywordOptions } from '../../src/marketplaces/crawl-pages';
import type { FetchPort } from '../../src/marketplaces/marketplace-adapter';
import { MarketplaceClient } from '../../src/marketplaces/marketplace-client';
import { MarketplaceError } from '../../src/marketplaces/marketplace-error';
import type { ResolvedCredential } from '../../src/marketplaces/marketplace-credentials';
import { RakutenItemSearchAdapter } from '../../src/marketplaces/rakuten/rakuten.adapter';
import { PauseOnlyBudget } from './memory-budget';
import { TEST_CRAWL, rakutenCredential } from './test-credential';

const PINNED = '2026-11-22T03:00:00.000Z';
const KEYWORD = '무선 이어폰';

let sim: RunningSimulator;
let client: MarketplaceClient;
let credential: ResolvedCredential;
/** `page`/`hits` of every request the adapter sent, in order. */
let pagesAsked: { page: number; hits: number }[];
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

/** What the simulator served for the keyword at the pinned moment, as the adapter should normalize it. */
async function truth(): Promise<CrawlItem[]> {
  const answer = await simCall<{ items: RakutenTruthItem[] }>(
    'GET',
    `/_sim/rakuten/truth?${new URLSearchParams({ keyword: KEYWORD, at: PINNED }).toString()}`,
  );
  return answer.items.map((item) => ({
    rank: item.rank,
    externalId: item.itemCode,
    title: item.itemName,
    mall: item.shopName,
    sellerId: item.shopCode,
    price: item.itemPrice ?? null,
    currency: 'JPY',
    brand: '',
    maker: '',
    category: '',
    productType: '',
    link: item.itemUrl,
    image: item.mediumImageUrls[0]?.imageUrl ?? '',
    availability: item.availability === 1 ? 'in_stock' : 'out_of_stock',
    reviewCount: item.reviewCount,
    reviewRating: item.reviewAverage,
    placement: 'organic',
  }));
}

const crawl = (overrides: Partial<CrawlKeywordOptions> = {}): ReturnType<typeof crawlKeyword> =>
  crawlKeyword(client, {
    keyword: KEYWORD,
    tenantId: TEST_CRAWL.tenantId,
    credential,
    maxPages: 4,
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
  credential = rakutenCredential(`rakuten-app-${seq}`);
  pagesAsked = [];
  const recordingFetch: FetchPort = (url, init) => {
    const { searchParams } = new URL(url);
    pagesAsked.push({ page: Number(searchParams.get('page')), hits: Number(searchParams.get('hits')) });
    return fetch(url, init);
  };
  const adapter = new RakutenItemSearchAdapter({ baseUrl: `${sim.url}${RAKUTEN_SEARCH_PATH}`, fetch: recordingFetch });
  client = new MarketplaceClient(adapter, new PauseOnlyBudget(), {
    name: `rakuten-sim-${seq}`,
    retry: { baseMs: 1, maxMs: 50 },
  });
});

afterEach(() => client.close());

describe('crawling Rakuten on the marketplace simulator', () => {
  it('yields the ground truth rank for rank across pages of 30, whole Rakuten pages 1 to 4', async () => {
    const expected = await truth();

    const result = await crawl();

    expect(expected.length).toBeGreaterThan(120);
    expect(result.items).toEqual(expected.slice(0, 120));
    expect(pagesAsked).toEqual([1, 2, 3, 4].map((page) => ({ page, hits: 30 })));
  });

  it('keeps pages aligned at a smaller page size: 20 a page asks for pages of 20', async () => {
    const expected = await truth();

    const result = await crawl({ pageSize: 20, maxPages: 5 });

    expect(result.items).toEqual(expected.slice(0, 100));
    expect(pagesAsked).toEqual([1, 2, 3, 4, 5].map((page) => ({ page, hits: 20 })));
  });

  it('serves yen prices converted from the catalogue at the documented rate, whole numbers', async () => {
    const naver = await simCall<{ items: { lprice: number }[] }>(
      'GET',
      `/_sim/truth?${new URLSearchParams({ query: KEYWORD, at: PINNED }).toString()}`,
    );

    const result = await crawl({ maxPages: 1 });

    const priced = result.items.filter((item) => item.price !== null);
    expect(priced.length).toBeGreaterThan(0);
    priced.forEach((item) => {
      expect(Number.isInteger(item.price)).toBe(true);
      expect(item.price).toBe(Math.round((naver.items[item.rank - 1]?.lprice ?? 0) / KRW_PER_JPY));
    });
  });

  it('backs off on the throttle (too_many_requests) and still completes the crawl', async () => {
    await simCall('POST', '/_sim/faults', { throttlePerSecond: 1 });

    const result = await crawl({ maxPages: 3 });

    const requests = await simCall<{ requests: { clientId: string; status: number; errorCode: string | null }[] }>(
      'GET',
      '/_sim/requests',
    );
    const mine = requests.requests.filter((request) => request.clientId === `rakuten-app-${seq}`);
    expect(result.pagesFetched).toBe(3);
    expect(mine.filter((request) => request.status === 200)).toHaveLength(3);
    expect(mine.some((request) => request.status === 429 && request.errorCode === 'too_many_requests')).toBe(true);
  });

  it('fails as auth_failed when the simulator refuses the application id', async () => {
    await simCall('POST', '/_sim/faults', { rejectedClientIds: [`rakuten-app-${seq}`] });

    await expect(crawl()).rejects.toMatchObject({ code: 'auth_failed', upstreamCode: 'wrong_parameter' });
  });

  it('fails as upstream_error on system errors and as upstream_error on maintenance, after retries', async () => {
    await simCall('POST', '/_sim/faults', { errorRate: 1 });
    const systemError = await crawl().catch((error: unknown) => error);
    await simCall('POST', '/_sim/faults', { errorRate: 0, outage: 'unavailable' });
    const maintenance = await crawl().catch((error: unknown) => error);

    expect(systemError).toBeInstanceOf(MarketplaceError);
    expect(systemError).toMatchObject({ code: 'upstream_error', upstreamCode: 'system_error' });
    expect(maintenance).toMatchObject({ code: 'upstream_error', upstreamCode: 'service_unavailable' });
  });
});
