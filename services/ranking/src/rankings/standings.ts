import { CrawlItem, RankingEntry, Standing } from '@shelfwatch/contracts';

/** A product of the tenant, as the ranking service knows it. */
export interface OwnProduct {
  productId: string;
  /** The marketplace's product id. */
  externalId: string;
  /** The seller's own price, as typed into the catalogue. */
  price: number;
  /** ISO 4217 currency of `price`, and of every price compared with it. */
  currency: string;
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
  /** The currency of a shelf price whose item names none: the marketplace's (site's). */
  shelfCurrency: string;
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
 * are excluded, where each tracked product ranks and moved, and the cheapest competitor priced in the product's
 * currency (competitors priced in another are counted, never compared). Pure.
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
      currency: item.currency ?? input.shelfCurrency,
      excluded,
      sellerId: item.sellerId ?? null,
      availability: item.availability ?? null,
      reviewCount: item.reviewCount ?? null,
      reviewRating: item.reviewRating ?? null,
      condition: item.condition ?? null,
      placement: item.placement ?? 'organic',
    };
  });
  const competitors = pricedCompetitors(entries);
  const rankOf = firstRankByProduct(entries);
  const byId = new Map(input.ownProducts.map((product) => [product.productId, product]));
  const observed = firstPricedEntryByProduct(entries, byId);
  const standings = input.trackedProductIds.flatMap((productId): Standing[] => {
    const product = byId.get(productId);
    if (!product) {
      return [];
    }
    const rank = rankOf.get(productId) ?? null;
    const previousRank = input.previousRanks.get(productId) ?? null;
    const mine = observed.get(productId);
    const cheapest = lowestIn(competitors, product.currency);
    return [
      {
        productId,
        rank,
        previousRank,
        change: rank !== null && previousRank !== null ? previousRank - rank : null,
        myPrice: mine?.price ?? product.price,
        priceSource: mine ? 'observed' : 'catalog',
        observedMall: mine?.mall ?? null,
        catalogPrice: product.price,
        currency: product.currency,
        lowestCompetitorPrice: cheapest?.price ?? null,
        otherCurrencyCompetitors: competitors.filter((entry) => entry.currency !== product.currency).length,
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

/** An entry the marketplace showed with a price. */
type PricedEntry = RankingEntry & { price: number };

function isPriced(entry: RankingEntry): entry is PricedEntry {
  return entry.price !== null && entry.price > 0;
}

/**
 * Where each own product was first seen with a price: its observed price and mall. A listing without a price
 * (null, or a 0 that stands for none) is no observation, nor is one in another currency than the product's: the
 * catalogue price stays "my price".
 */
function firstPricedEntryByProduct(
  entries: readonly RankingEntry[],
  products: ReadonlyMap<string, OwnProduct>,
): Map<string, PricedEntry> {
  const seen = new Map<string, PricedEntry>();
  for (const entry of entries) {
    const inMyCurrency = entry.productId !== null && entry.currency === products.get(entry.productId)?.currency;
    if (entry.productId !== null && inMyCurrency && isPriced(entry) && !seen.has(entry.productId)) {
      seen.set(entry.productId, entry);
    }
  }
  return seen;
}

/** Competitors with a price, in rank order: own products, exclusions and listings without a price never count. */
function pricedCompetitors(entries: readonly RankingEntry[]): PricedEntry[] {
  return entries.filter(
    (entry): entry is PricedEntry => entry.productId === null && !entry.excluded && isPriced(entry),
  );
}

/** The cheapest competitor priced in `currency`; ties go to the better rank. */
function lowestIn(competitors: readonly PricedEntry[], currency: string): PricedEntry | null {
  let best: PricedEntry | null = null;
  for (const entry of competitors) {
    if (entry.currency === currency && (best === null || entry.price < best.price)) {
      best = entry;
    }
  }
  return best;
}
