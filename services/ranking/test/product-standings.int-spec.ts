import { randomUUID } from 'node:crypto';
import { Page, RankingProductView } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, publish } from './ranking.fixtures';

/** The product list carries, per keyword, where the product stood at that keyword's latest crawl. */
describe('product list with standings', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();

  beforeAll(async () => {
    sut = await bootRanking();
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  function create(externalId: string, keywords: string[]): Promise<RankingProductView> {
    return sut.rpc.request<RankingProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId,
      name: externalId,
      price: 10_000,
      keywords,
    });
  }

  function list(limit = 100): Promise<Page<RankingProductView>> {
    return sut.rpc.request<Page<RankingProductView>>('ranking.product.list', { tenantId, limit });
  }

  it('gives rank, change, lowest competitor price and last crawl per keyword, null before any crawl', async () => {
    const mine = await create('mine-1', ['earbuds', 'headphones']);
    const earbuds = mine.keywords[0]?.keywordId ?? '';
    expect((await list()).items[0]?.keywords).toEqual([
      {
        keywordId: earbuds,
        keyword: 'earbuds',
        rank: null,
        change: null,
        lowestCompetitorPrice: null,
        lastCrawledAt: null,
        myPrice: 10_000,
        priceSource: 'catalog',
        observedMall: null,
        currency: 'KRW',
        orderFidelity: 'exact',
        intervalMinutes: 60,
        paused: false,
        crawlHealth: { failing: false, consecutiveFailures: 0, lastError: null, lastCrawledAt: null },
      },
      expect.objectContaining({ keyword: 'headphones', rank: null, lastCrawledAt: null }),
    ]);
    const shelf = (myRank: number) => [
      anItem(1, 'c-1', { price: 9_000 }),
      anItem(myRank, 'mine-1'),
      anItem(myRank + 1, 'c-2', { price: 7_500 }),
    ];
    await publish(sut, aCrawlCompleted(tenantId, earbuds, shelf(4), { completedAt: '2026-11-22T09:00:00.000Z' }));
    // Recorded before the next one, so the next one has a previous rank.
    await eventually(async () => {
      expect((await list()).items[0]?.keywords[0]?.rank).toBe(4);
    });
    await publish(sut, aCrawlCompleted(tenantId, earbuds, shelf(2), { completedAt: '2026-11-22T10:00:00.000Z' }));
    const keywords = await eventually(async () => {
      const got = (await list()).items[0]?.keywords ?? [];
      expect(got[0]?.lastCrawledAt).toBe('2026-11-22T10:00:00.000Z');
      return got;
    });
    expect(keywords[0]).toEqual({
      keywordId: earbuds,
      keyword: 'earbuds',
      rank: 2,
      change: 2,
      lowestCompetitorPrice: 7_500,
      lastCrawledAt: '2026-11-22T10:00:00.000Z',
      myPrice: 5_000,
      priceSource: 'observed',
      observedMall: 'Some Mall',
      currency: 'KRW',
      orderFidelity: 'exact',
      intervalMinutes: 60,
      paused: false,
      crawlHealth: {
        failing: false,
        consecutiveFailures: 0,
        lastError: null,
        lastCrawledAt: '2026-11-22T10:00:00.000Z',
      },
    });
    expect(keywords[1]).toMatchObject({ keyword: 'headphones', rank: null, lastCrawledAt: null });
    const one = await sut.rpc.request<RankingProductView>('ranking.product.get', { tenantId, productId: mine.id });
    expect(one.keywords).toEqual(keywords);
  });

  it('reads a page of many products with as many statements as a page of one', async () => {
    const connection = sut.orm.em.getConnection();
    const execute = jest.spyOn(connection, 'execute');
    // The outbox relay shares the connection; count the statements on the catalog's tables only.
    const statements = (): number =>
      execute.mock.calls.filter(([sql]) => typeof sql === 'string' && /products|keywords/.test(sql)).length;
    await list(1);
    const forOne = statements();
    for (let n = 0; n < 12; n += 1) {
      await create(`bulk-${n}`, [`kw-${n}`, 'shared keyword']);
    }
    execute.mockClear();
    const page = await list(100);
    expect(page.items.length).toBeGreaterThan(12);
    expect(statements()).toBe(forOne);
    execute.mockRestore();
  });
});
