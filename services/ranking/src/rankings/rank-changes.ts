import { EventData, OrderFidelity, Standing } from '@shelfwatch/contracts';

/** The crawl the changes are of, and how faithfully its ranks are the shopper's positions. */
type Ref = { crawlId: string; keywordId: string; orderFidelity: OrderFidelity };
type RankingChanged = EventData<'ranking.changed'>;

/** A crawl's order among the crawls of its keyword: crawl time, then crawl id (never arrival). */
export interface CrawlOrder {
  crawledAt: string;
  crawlId: string;
}

/** Negative when `a` comes before `b` by crawl time (ties broken by crawl id). */
export function compareCrawls(a: CrawlOrder, b: CrawlOrder): number {
  const byTime = Date.parse(a.crawledAt) - Date.parse(b.crawledAt);
  return byTime !== 0 ? byTime : a.crawlId < b.crawlId ? -1 : a.crawlId > b.crawlId ? 1 : 0;
}

function changeOf(ref: Ref, standing: Standing, previousRank: number | null, revised: boolean): RankingChanged {
  return {
    ...ref,
    productId: standing.productId,
    previousRank,
    currentRank: standing.rank,
    price: standing.myPrice,
    currency: standing.currency,
    priceSource: standing.priceSource,
    observedMall: standing.observedMall,
    revised,
  };
}

/**
 * One `ranking.changed` per tracked product whose rank differs from its standing at the previous crawl (by
 * crawl time), appearing (null → rank) and disappearing (rank → null) included. A product without a standing
 * at the previous crawl (first crawl, newly tracked) has no known previous position and yields nothing. Pure.
 */
export function rankChanges(
  ref: Ref,
  standings: readonly Standing[],
  previousRanks: ReadonlyMap<string, number | null>,
): RankingChanged[] {
  return standings.flatMap((standing) =>
    previousRanks.has(standing.productId) && standing.previousRank !== standing.rank
      ? [changeOf(ref, standing, standing.previousRank, false)]
      : [],
  );
}

/** The next crawl's standings restated against a crawl that arrived after it but precedes it by crawl time. */
export interface RestatedSuccessor {
  standings: Standing[];
  /** One revised change per standing: the last one per (crawlId, productId) is what holds. */
  changes: RankingChanged[];
}

/**
 * When a crawl is recorded after the crawl that follows it by crawl time, that successor was computed against
 * the wrong predecessor: its previous ranks and changes are restated against the late crawl's ranks
 * (`previousRanks`), exactly as in-order arrival would have computed them. Every standing gets a revised
 * `ranking.changed` (what was emitted before is unknown here): `previousRank → rank`, or `rank → rank`
 * ("no change at this crawl") when the ranks are equal or the late crawl had no standing for the product. Pure.
 */
export function restateSuccessor(
  ref: Ref,
  successor: readonly Standing[],
  previousRanks: ReadonlyMap<string, number | null>,
): RestatedSuccessor {
  const standings = successor.map((standing): Standing => {
    const previousRank = previousRanks.get(standing.productId) ?? null;
    const change = standing.rank !== null && previousRank !== null ? previousRank - standing.rank : null;
    return { ...standing, previousRank, change };
  });
  const changes = standings.map((standing) =>
    changeOf(ref, standing, previousRanks.has(standing.productId) ? standing.previousRank : standing.rank, true),
  );
  return { standings, changes };
}
