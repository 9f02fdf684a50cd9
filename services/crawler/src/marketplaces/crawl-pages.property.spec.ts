import type { CrawlItem } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { crawlKeyword, planPages } from './crawl-pages';
import type { PagingLimits, SearchPage } from './marketplace-adapter';
import { NAVER_CAPABILITIES } from './naver/naver.adapter';
import type { PageQuery, PageSource } from './marketplace-client';
import { TEST_CRAWL } from '../../test/marketplaces/test-credential';

const paging: fc.Arbitrary<PagingLimits> = fc.record({
  maxStart: fc.integer({ min: 1, max: 1_000 }),
  maxDisplay: fc.integer({ min: 1, max: 100 }),
});

/** The ranks a plan fetches: each page's results after the ones it skips. */
function plannedRanks(pages: ReturnType<typeof planPages>): number[] {
  return pages.flatMap((page) =>
    Array.from({ length: page.display - page.skip }, (_, i) => page.start + page.skip + i),
  );
}

/** A shelf of `total` listings served by rank, as a marketplace's search pages it. */
function shelfOf(total: number, limits: PagingLimits): PageSource {
  return {
    marketplace: 'fake',
    paging: limits,
    capabilities: NAVER_CAPABILITIES,
    search: async ({ start, display }: PageQuery): Promise<SearchPage> => ({
      total,
      items: Array.from({ length: Math.max(0, Math.min(total, start + display - 1) - start + 1) }, (_, i) =>
        listing(start + i),
      ),
    }),
  };
}

function listing(rank: number): CrawlItem {
  return {
    rank,
    externalId: `p${rank}`,
    title: `product ${rank}`,
    mall: 'mall',
    price: 1_000,
    brand: '',
    maker: '',
    category: '',
    link: '',
    image: '',
    productType: '1',
  };
}

describe('crawl paging (properties)', () => {
  it('plans ranks 1..n without a gap or a duplicate, never past maxStart, within maxPages', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 200 }),
        paging,
        (maxPages, size, limits) => {
          const pages = planPages(maxPages, size, limits);
          const ranks = plannedRanks(pages);
          expect(ranks).toEqual(ranks.map((_, i) => i + 1));
          expect(pages.length).toBeLessThanOrEqual(maxPages);
          for (const page of pages) {
            expect(page.start).toBeLessThanOrEqual(limits.maxStart);
            expect(page.display).toBeLessThanOrEqual(limits.maxDisplay);
          }
          const deepest = Math.min(
            maxPages * Math.min(size, limits.maxDisplay),
            limits.maxStart + Math.min(size, limits.maxDisplay) - 1,
          );
          expect(ranks).toHaveLength(deepest);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('crawls any shelf into ranks 1..n, as deep as the plan and the shelf allow', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 120 }),
        paging,
        async (total, maxPages, pageSize, limits) => {
          const { items } = await crawlKeyword(shelfOf(total, limits), {
            keyword: 'earbuds',
            ...TEST_CRAWL,
            maxPages,
            pageSize,
            trackedExternalIds: [],
            stopWhenAllFound: true,
          });
          const reachable = plannedRanks(planPages(maxPages, pageSize, limits)).length;
          expect(items.map((item) => item.rank)).toEqual(
            Array.from({ length: Math.min(total, reachable) }, (_, i) => i + 1),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
