import type { CrawlItem } from '@shelfwatch/contracts';
import { crawlKeyword, type CrawlKeywordOptions, planPages } from './crawl-pages';
import type { PagingLimits, SearchPage } from './marketplace-adapter';
import { NAVER_CAPABILITIES } from './naver/naver.adapter';
import type { PageQuery, PageSource } from './marketplace-client';
import { MarketplaceError } from './marketplace-error';
import { TEST_CRAWL } from '../../test/marketplaces/test-credential';

const NAVER: PagingLimits = { maxStart: 1000, maxDisplay: 100 };

function item(rank: number): CrawlItem {
  return {
    rank,
    externalId: `p${rank}`,
    title: `product ${rank}`,
    mall: 'mall',
    price: 1000 + rank,
    brand: '',
    maker: '',
    category: '',
    link: '',
    image: '',
    productType: '1',
  };
}

/** A shelf of `total` products p1..pN served page by page; records every query. */
class FakeShelf implements PageSource {
  readonly marketplace = 'fake';
  readonly capabilities = NAVER_CAPABILITIES;
  readonly queries: Pick<PageQuery, 'keyword' | 'start' | 'display'>[] = [];

  constructor(
    private readonly total: number,
    readonly paging: PagingLimits = NAVER,
    private readonly failAtStart?: number,
  ) {}

  async search({ keyword, start, display }: PageQuery): Promise<SearchPage> {
    this.queries.push({ keyword, start, display });
    if (start === this.failAtStart) {
      throw new MarketplaceError('upstream_error', { httpStatus: 500 });
    }
    const last = Math.min(this.total, start + display - 1);
    return {
      total: this.total,
      items: Array.from({ length: Math.max(0, last - start + 1) }, (_, i) => item(start + i)),
    };
  }
}

const options = (overrides: Partial<CrawlKeywordOptions> = {}): CrawlKeywordOptions => ({
  keyword: 'earbuds',
  ...TEST_CRAWL,
  maxPages: 5,
  pageSize: 100,
  trackedExternalIds: [],
  stopWhenAllFound: true,
  ...overrides,
});

describe('crawlKeyword', () => {
  it('costs one request when every tracked product is on page 1', async () => {
    const shelf = new FakeShelf(5_000);

    const result = await crawlKeyword(shelf, options({ trackedExternalIds: ['p3', 'p90'] }));

    expect(result.pagesFetched).toBe(1);
    expect(shelf.queries).toEqual([{ keyword: 'earbuds', start: 1, display: 100 }]);
    expect(result.items.map((i) => i.rank)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('pages on until the last tracked product is seen, and to full depth when told not to stop early', async () => {
    const shelf = new FakeShelf(5_000);
    const tracked = ['p3', 'p250'];

    expect((await crawlKeyword(shelf, options({ trackedExternalIds: tracked }))).pagesFetched).toBe(3);
    expect(
      (await crawlKeyword(shelf, options({ trackedExternalIds: tracked, stopWhenAllFound: false }))).pagesFetched,
    ).toBe(5);
  });

  it('crawls to the configured depth when nothing is tracked', async () => {
    expect((await crawlKeyword(new FakeShelf(5_000), options({ maxPages: 4 }))).pagesFetched).toBe(4);
  });

  it('stops when the marketplace has no more results', async () => {
    const short = new FakeShelf(150);
    const exact = new FakeShelf(200);

    const shortResult = await crawlKeyword(short, options());
    const exactResult = await crawlKeyword(exact, options());

    expect([shortResult.pagesFetched, shortResult.items.length]).toEqual([2, 150]);
    expect([exactResult.pagesFetched, exactResult.items.length]).toEqual([2, 200]);
  });

  it('never asks for start > 1000 and ends at rank 1099, clamping the last page', async () => {
    const shelf = new FakeShelf(50_000);

    const result = await crawlKeyword(shelf, options({ maxPages: 50 }));

    expect(shelf.queries.map((q) => q.start)).toEqual([1, 101, 201, 301, 401, 501, 601, 701, 801, 901, 1000]);
    expect(result.items.map((i) => i.rank)).toEqual(Array.from({ length: 1099 }, (_, i) => i + 1));
  });

  it('throws the failed page error instead of returning the pages before it', async () => {
    const shelf = new FakeShelf(5_000, NAVER, 201);

    await expect(crawlKeyword(shelf, options({ trackedExternalIds: ['p999'] }))).rejects.toMatchObject({
      code: 'upstream_error',
    });
    expect(shelf.queries).toHaveLength(3);
  });

  it('fails with timeout, without a request, once the crawl deadline has passed', async () => {
    const shelf = new FakeShelf(5_000);
    const signal = AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));

    await expect(crawlKeyword(shelf, options({ signal }))).rejects.toMatchObject({ code: 'timeout' });
    expect(shelf.queries).toEqual([]);
  });
});

describe('planPages', () => {
  it('caps display at maxDisplay and stops within maxStart + display - 1', () => {
    const pages = planPages(100, 30, NAVER);

    expect(pages.at(-2)).toEqual({ start: 991, display: 30, skip: 0 });
    expect(pages.at(-1)).toEqual({ start: 1000, display: 30, skip: 21 });
    expect(planPages(3, 500, NAVER)).toEqual([
      { start: 1, display: 100, skip: 0 },
      { start: 101, display: 100, skip: 0 },
      { start: 201, display: 100, skip: 0 },
    ]);
  });
});
