import { RankingEntry, Standing } from '@shelfwatch/contracts';
import { rankChanges } from './rank-changes';

const ref = { crawlId: '0193a000-0000-7000-8000-000000000001', keywordId: '0193a000-0000-7000-8000-000000000002' };
const [moved, appeared, gone, still, fresh] = [1, 2, 3, 4, 5].map((n) => `0193a000-0000-7000-8000-00000000010${n}`);

function standing(productId: string | undefined, rank: number | null, previousRank: number | null): Standing {
  return {
    productId: productId ?? '',
    rank,
    previousRank,
    change: rank !== null && previousRank !== null ? previousRank - rank : null,
    myPrice: 100,
    lowestCompetitorPrice: null,
    lowestCompetitor: null,
  };
}

function entry(rank: number, price: number): RankingEntry {
  return { rank, externalId: `x${rank}`, productId: null, mall: 'm', brand: 'b', price, excluded: false };
}

describe('rankChanges', () => {
  it('reports moved, appeared and disappeared products, and not unchanged or newly tracked ones', () => {
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
    const changes = rankChanges(ref, standings, previous, [entry(3, 900), entry(7, 700)]);
    // Then
    expect(changes).toEqual([
      { ...ref, productId: moved, previousRank: 5, currentRank: 3, price: 900 },
      { ...ref, productId: appeared, previousRank: null, currentRank: 7, price: 700 },
      { ...ref, productId: gone, previousRank: 2, currentRank: null, price: null },
    ]);
  });
});
