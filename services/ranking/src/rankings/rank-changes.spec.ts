import { Standing } from '@shelfwatch/contracts';
import { rankChanges } from './rank-changes';

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
});
