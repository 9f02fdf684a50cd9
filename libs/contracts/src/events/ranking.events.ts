import { z } from 'zod';
import { AVAILABILITIES, ORDER_FIDELITIES, PLACEMENTS, currencyCode } from '../marketplaces';

/**
 * Where "my price" comes from: `observed` when the tenant's product was on the crawled shelf with a price
 * (its shelf price and mall), else `catalog` (the price the seller typed in). Absent on events recorded
 * before observed prices existed: those carried the catalogue price.
 */
export const priceSourceSchema = z.enum(['observed', 'catalog']);
export type PriceSource = z.infer<typeof priceSourceSchema>;

/** Where one shelf entry stood in a crawl, as recorded by the ranking service. */
export const rankingEntrySchema = z.object({
  rank: z.number().int().positive(),
  externalId: z.string().min(1),
  /** Our product id when the entry is one of the tenant's tracked products, else null (a competitor). */
  productId: z.uuid().nullable(),
  mall: z.string(),
  brand: z.string(),
  /** The shelf price; null when the listing had none (never the cheapest competitor). */
  price: z.number().nonnegative().nullable(),
  /** ISO 4217 currency of `price` (absent on events from before currencies: KRW). */
  currency: currencyCode.default('KRW'),
  excluded: z.boolean(),
  /** What the marketplace said of the listing; null when it does not say (and on older events). */
  sellerId: z.string().nullable().default(null),
  availability: z.enum(AVAILABILITIES).nullable().default(null),
  reviewCount: z.number().int().nonnegative().nullable().default(null),
  reviewRating: z.number().min(0).max(5).nullable().default(null),
  condition: z.string().nullable().default(null),
  /** Organic or paid position (absent on older events: organic). */
  placement: z.enum(PLACEMENTS).default('organic'),
});

/** Where one of the tenant's tracked products stands after a crawl, next to its cheapest competitor. */
export const standingSchema = z.object({
  productId: z.uuid(),
  /** Null when the product was not found on the crawled pages. */
  rank: z.number().int().positive().nullable(),
  /** Rank at the previous successful crawl of the keyword; null when it was absent or there was none. */
  previousRank: z.number().int().positive().nullable(),
  /** previousRank − rank (positive = moved up); null unless both are known. */
  change: z.number().int().nullable(),
  /** My price: the observed shelf price when the product was on the shelf with one, else the catalogue price. */
  myPrice: z.number().nonnegative(),
  /** Which of the two `myPrice` is. */
  priceSource: priceSourceSchema.default('catalog'),
  /** The mall my product was seen at when `priceSource` is `observed`, else null. */
  observedMall: z.string().nullable().default(null),
  /** The price the seller typed into the catalogue (null on old events, where `myPrice` is that price). */
  catalogPrice: z.number().nonnegative().nullable().default(null),
  /**
   * ISO 4217 currency of `myPrice` and `lowestCompetitorPrice`: the product's (absent on events from before
   * currencies: KRW).
   */
  currency: currencyCode.default('KRW'),
  /**
   * The lowest price among competitors on the shelf priced in `currency` (own products, exclusions and prices in
   * other currencies never count).
   */
  lowestCompetitorPrice: z.number().nonnegative().nullable(),
  /** Competitors with a price in another currency than `currency`: never compared (absent on older events: 0). */
  otherCurrencyCompetitors: z.number().int().nonnegative().default(0),
  /** Who holds that price. */
  lowestCompetitor: z
    .object({ externalId: z.string(), mall: z.string(), rank: z.number().int().positive() })
    .nullable(),
});

/** The results of one successful crawl were recorded for a keyword. */
export const rankingRecordedV1 = z.object({
  crawlId: z.uuid(),
  keywordId: z.uuid(),
  recordedAt: z.iso.datetime({ offset: true }),
  /**
   * When the crawl completed (`completedAt` of its `crawl.completed`): a keyword's crawls are ordered by it, not by
   * `recordedAt`, which is when ranking processed the crawl (a redelivered older crawl is recorded later). Absent on
   * events published before it was added; read `recordedAt` then.
   */
  crawledAt: z.iso.datetime({ offset: true }).optional(),
  /** How faithfully `rank` is the shopper's position (from `crawl.completed`; absent on older events: `exact`). */
  orderFidelity: z.enum(ORDER_FIDELITIES).default('exact'),
  /** Every shelf entry of the crawl, in rank order. */
  entries: z.array(rankingEntrySchema).max(1100),
  /** One per tracked product linked to the keyword. */
  standings: z.array(standingSchema).max(1000),
});

/**
 * When the recorded crawl was made: its `crawledAt`, or `recordedAt` on an event published before `crawledAt`
 * existed. What orders a keyword's crawls and places an observation in time, whatever order they arrive in.
 */
export function crawlTimeOf(data: { recordedAt: string; crawledAt?: string | undefined }): string {
  return data.crawledAt ?? data.recordedAt;
}

/**
 * A tracked product's rank or presence changed between two successful crawls, adjacent by crawl time
 * (`completedAt`, then crawl id). When a crawl arrives late, between two recorded ones, the later crawl's
 * change is restated against it with `revised: true`: a consumer keeps the last event per (crawlId, productId),
 * and a revised event with `previousRank === currentRank` withdraws that crawl's earlier change.
 */
export const rankingChangedV1 = z.object({
  crawlId: z.uuid(),
  keywordId: z.uuid(),
  productId: z.uuid(),
  /** Null when the product was not on the shelf before. */
  previousRank: z.number().int().positive().nullable(),
  /** Null when the product is no longer on the shelf. */
  currentRank: z.number().int().positive().nullable(),
  /** My price at this crawl (see `priceSource`); null only on old events of a product that left the shelf. */
  price: z.number().nonnegative().nullable(),
  /** ISO 4217 currency of `price` (absent on events from before currencies: KRW). */
  currency: currencyCode.default('KRW'),
  /** How faithfully the ranks are the shopper's positions (absent on older events: `exact`). */
  orderFidelity: z.enum(ORDER_FIDELITIES).default('exact'),
  priceSource: priceSourceSchema.default('catalog'),
  observedMall: z.string().nullable().default(null),
  /** True when this restates the crawl's change after an earlier crawl arrived late. */
  revised: z.boolean().default(false),
});

export type Standing = z.infer<typeof standingSchema>;
export type RankingEntry = z.infer<typeof rankingEntrySchema>;
