import { EventData, RankingEntry, Standing } from '@shelfwatch/contracts';

/**
 * One `ranking.changed` per tracked product whose rank differs from its standing at the previous crawl,
 * appearing (null → rank) and disappearing (rank → null) included. A product without a standing at the
 * previous crawl (first crawl, newly tracked) has no known previous position and yields nothing. Pure.
 */
export function rankChanges(
  ref: { crawlId: string; keywordId: string },
  standings: readonly Standing[],
  previousRanks: ReadonlyMap<string, number | null>,
  entries: readonly RankingEntry[],
): EventData<'ranking.changed'>[] {
  return standings.flatMap((standing) => {
    if (!previousRanks.has(standing.productId) || standing.previousRank === standing.rank) {
      return [];
    }
    const entry = standing.rank === null ? undefined : entries.find((e) => e.rank === standing.rank);
    return [
      {
        ...ref,
        productId: standing.productId,
        previousRank: standing.previousRank,
        currentRank: standing.rank,
        price: entry?.price ?? null,
      },
    ];
  });
}
