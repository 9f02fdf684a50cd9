import { Standing } from '@shelfwatch/contracts';
import { compareCrawls, rankChanges, restateSuccessor } from './rank-changes';

const ref = {
  crawlId: '0193a000-0000-7000-8000-000000000001',
  keywordId: '0193a000-0000-7000-8000-000000000002',
  orderFidelity: 'approximate' as const,
};
const [moved, appeared, gone, still, fresh] = [1, 2, 3, 4, 5].map((n) => `0193a000-0000-7000-8000-00000000010${n}`);

function standing(productId: string | undefined, rank: number | null, previousRank: number | null): Standing {
  return {
    productId: productId ?? '',
    rank,
    previousRank,
    change: rank !== null && previousRank !== null ? previousRank - rank : null,
    myPrice: rank === null ? 100 : 1_000 - rank * 100,
    priceSource: rank === null ? 'catalog' : 'observed',
    observedMall: rank === null ? null : 'Mall',
    catalogPrice: 100,
    currency: 'USD',
    lowestCompetitorPrice: null,
    otherCurrencyCompetitors: 0,
    lowestCompetitor: null,
  };
}

const observed = (price: number) => ({ price, currency: 'USD', priceSource: 'observed', observedMall: 'Mall' });
const catalog = { price: 100, currency: 'USD', priceSource: 'catalog', observedMall: null };

describe('rankChanges', () => {
  it("reports moved, appeared and disappeared products (price in its currency, the crawl's order fidelity)", () => {
    // Given a previous crawl where `moved` was 5, `appeared` absent, `gone` 2, `still` 1, `fresh` untracked
    const previous = new Map<string, number | null>([
      [moved ?? '', 5],
      [appeared ?? '', null],
      [gone ?? '', 2],
      [still ?? '', 1],
    ]);
    const standings = [
      standing(moved, 3, 5),
      standing(appeared, 7, null),
      standing(gone, null, 2),
      standing(still, 1, 1),
      standing(fresh, 4, null),
    ];
    // When
    const changes = rankChanges(ref, standings, previous);
    // Then
    expect(changes).toEqual([
      { ...ref, productId: moved, previousRank: 5, currentRank: 3, ...observed(700), revised: false },
      { ...ref, productId: appeared, previousRank: null, currentRank: 7, ...observed(300), revised: false },
      { ...ref, productId: gone, previousRank: 2, currentRank: null, ...catalog, revised: false },
    ]);
  });

  it('reports nothing at the first crawl of a keyword, whatever the shelf', () => {
    // Given no previous crawl: no product has a known previous position
    const standings = [standing(moved, 3, null), standing(gone, null, null)];
    // When / Then
    expect(rankChanges(ref, standings, new Map())).toEqual([]);
  });

  it('reports nothing for a product that was off the shelf and still is', () => {
    // Given `gone` was tracked but not on the shelf at the previous crawl
    const previous = new Map<string, number | null>([[gone ?? '', null]]);
    // When it is still off the shelf / Then
    expect(rankChanges(ref, [standing(gone, null, null)], previous)).toEqual([]);
  });
});

describe('restateSuccessor', () => {
  it('restates the next crawl against a late crawl that precedes it, as in-order arrival would have', () => {
    // Given the successor was computed against an older crawl (moved 9 → 3, still 4 → 1, fresh 6 → 4)
    const successor = [standing(moved, 3, 9), standing(still, 1, 4), standing(fresh, 4, 6)];
    // And the late crawl had moved at 2, still at 1, and no standing for fresh
    const late = new Map<string, number | null>([
      [moved ?? '', 2],
      [still ?? '', 1],
    ]);
    // When
    const restated = restateSuccessor(ref, successor, late);
    // Then previous ranks and changes come from the late crawl; unknown previous position means no change
    expect(restated.standings.map((s) => [s.productId, s.previousRank, s.rank, s.change])).toEqual([
      [moved, 2, 3, -1],
      [still, 1, 1, 0],
      [fresh, null, 4, null],
    ]);
    // And every standing gets a revised change, `rank → rank` where the late crawl knew no position
    expect(restated.changes.map((c) => [c.productId, c.previousRank, c.currentRank, c.revised])).toEqual([
      [moved, 2, 3, true],
      [still, 1, 1, true],
      [fresh, 4, 4, true],
    ]);
  });
});

describe('compareCrawls', () => {
  it('orders by crawl time, and by crawl id when two crawls share a time', () => {
    const at = '2026-12-01T10:00:00.000Z';
    const later = '2026-12-01T10:00:00.001Z';
    expect(compareCrawls({ crawledAt: at, crawlId: 'b' }, { crawledAt: later, crawlId: 'a' })).toBeLessThan(0);
    expect(compareCrawls({ crawledAt: at, crawlId: 'a' }, { crawledAt: at, crawlId: 'b' })).toBeLessThan(0);
    expect(compareCrawls({ crawledAt: at, crawlId: 'a' }, { crawledAt: at, crawlId: 'a' })).toBe(0);
  });
});
