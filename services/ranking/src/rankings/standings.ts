import { CrawlItem, RankingEntry, Standing } from '@shelfwatch/contracts';

/** A product of the tenant, as the ranking service knows it. */
export interface OwnProduct {
  productId: string;
  /** The marketplace's product id. */
  externalId: string;
  /** The seller's own price. */
  price: number;
}

/** What never counts as a competitor besides the tenant's own products. */
export interface Exclusions {
  /** Marketplace product ids. */
  externalIds: ReadonlySet<string>;
  /** Mall names, compared case-insensitively and trimmed. */
  malls: ReadonlySet<string>;
}

/** Everything the computation needs about one successful crawl of one keyword. */
export interface StandingsInput {
  /** The shelf, in rank order. */
  items: readonly CrawlItem[];
  /** Every product of the tenant on this marketplace (own products are never competitors). */
  ownProducts: readonly OwnProduct[];
  /** The products linked to the crawled keyword: one standing each. */
  trackedProductIds: readonly string[];
  exclusions: Exclusions;
  /** Rank of each tracked product at the previous successful crawl (absent or null: not on the shelf then). */
  previousRanks: ReadonlyMap<string, number | null>;
}

/** The recorded shelf and the standing of each tracked product. */
export interface StandingsResult {
  entries: RankingEntry[];
  standings: Standing[];
}

export function normalizeMall(mall: string): string {
  return mall.trim().toLowerCase();
}

/**
 * Turns a crawl's shelf into recorded entries and standings: which entries are the tenant's own, which
 * are excluded, where each tracked product ranks and moved, and the cheapest competitor. Pure.
 */
export function computeStandings(input: StandingsInput): StandingsResult {
  const ownByExternalId = new Map(input.ownProducts.map((product) => [product.externalId, product]));
  const entries = input.items.map((item): RankingEntry => {
    const own = ownByExternalId.get(item.externalId);
    const excluded =
      input.exclusions.externalIds.has(item.externalId) || input.exclusions.malls.has(normalizeMall(item.mall));
    return {
      rank: item.rank,
      externalId: item.externalId,
      productId: own?.productId ?? null,
      mall: item.mall,
      brand: item.brand,
      price: item.price,
      excluded,
    };
  });
  const cheapest = lowestCompetitor(entries);
  const rankOf = firstRankByProduct(entries);
  const byId = new Map(input.ownProducts.map((product) => [product.productId, product]));
  const standings = input.trackedProductIds.flatMap((productId): Standing[] => {
    const product = byId.get(productId);
    if (!product) {
      return [];
    }
    const rank = rankOf.get(productId) ?? null;
    const previousRank = input.previousRanks.get(productId) ?? null;
    return [
      {
        productId,
        rank,
        previousRank,
        change: rank !== null && previousRank !== null ? previousRank - rank : null,
        myPrice: product.price,
        lowestCompetitorPrice: cheapest?.price ?? null,
        lowestCompetitor: cheapest
          ? { externalId: cheapest.externalId, mall: cheapest.mall, rank: cheapest.rank }
          : null,
      },
    ];
  });
  return { entries, standings };
}

/** Best (lowest) rank of each own product: a product listed twice counts where it first appears. */
function firstRankByProduct(entries: readonly RankingEntry[]): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const entry of entries) {
    if (entry.productId !== null && !ranks.has(entry.productId)) {
      ranks.set(entry.productId, entry.rank);
    }
  }
  return ranks;
}

/** The cheapest priced competitor (a price of 0 means the marketplace gave none); ties go to the better rank. */
function lowestCompetitor(entries: readonly RankingEntry[]): RankingEntry | null {
  let best: RankingEntry | null = null;
  for (const entry of entries) {
    const competitor = entry.productId === null && !entry.excluded && entry.price > 0;
    if (competitor && (best === null || entry.price < best.price)) {
      best = entry;
    }
  }
  return best;
}
