import fc from 'fast-check';
import { planPages } from '../crawl-pages';
import { RAKUTEN_MAX_HITS, RAKUTEN_MAX_PAGE, RAKUTEN_PAGING, rakutenPageOf } from './rakuten.paging';

/** The ranks one Rakuten request returns: page `page` of `hits` results. */
function ranksOfPage(page: number, hits: number): number[] {
  return Array.from({ length: hits }, (_, i) => (page - 1) * hits + 1 + i);
}

describe('Rakuten paging', () => {
  it('serves every window the planner asks for, at any page size and depth, from one valid Rakuten page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), (maxPages, pageSize) =>
        planPages(maxPages, pageSize, RAKUTEN_PAGING).every((planned) => {
          const request = rakutenPageOf(planned.start, planned.display);
          if (request === null || request.hits > RAKUTEN_MAX_HITS || request.page > RAKUTEN_MAX_PAGE) {
            return false;
          }
          // The window is the page's results from `offset` on, rank for rank.
          const served = ranksOfPage(request.page, request.hits).slice(
            request.offset,
            request.offset + planned.display,
          );
          return served.length === planned.display && served.every((rank, i) => rank === planned.start + i);
        }),
      ),
      { numRuns: 500 },
    );
  });

  it('every page size reaches the deepest start: the whole plan of each is servable (exhaustive)', () => {
    for (let pageSize = 1; pageSize <= RAKUTEN_MAX_HITS; pageSize += 1) {
      const plan = planPages(10_000, pageSize, RAKUTEN_PAGING);
      expect(plan.every((page) => rakutenPageOf(page.start, page.display) !== null)).toBe(true);
    }
  });

  it('asks for whole pages of the planned size when the window is aligned', () => {
    expect(rakutenPageOf(1, 30)).toEqual({ page: 1, hits: 30, offset: 0 });
    expect(rakutenPageOf(61, 30)).toEqual({ page: 3, hits: 30, offset: 0 });
    expect(rakutenPageOf(2_971, 30)).toEqual({ page: 100, hits: 30, offset: 0 });
    expect(rakutenPageOf(21, 10)).toEqual({ page: 3, hits: 10, offset: 0 });
  });

  it('has no page for a window deeper than 3,000 or one straddling every page size', () => {
    expect(rakutenPageOf(2_991, 20)).toBeNull();
    expect(rakutenPageOf(3_001, 1)).toBeNull();
    expect(rakutenPageOf(0, 10)).toBeNull();
  });
});
