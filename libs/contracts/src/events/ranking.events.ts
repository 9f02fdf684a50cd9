import { z } from 'zod';

/** Where one shelf entry stood in a crawl, as recorded by the ranking service. */
export const rankingEntrySchema = z.object({
  rank: z.number().int().positive(),
  externalId: z.string().min(1),
  /** Our product id when the entry is one of the tenant's tracked products, else null (a competitor). */
  productId: z.uuid().nullable(),
  mall: z.string(),
  brand: z.string(),
  price: z.number().nonnegative(),
  excluded: z.boolean(),
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
  /** The seller's own price for the product. */
  myPrice: z.number().nonnegative(),
  /** The lowest price among competitors on the shelf (own products and exclusions never count). */
  lowestCompetitorPrice: z.number().nonnegative().nullable(),
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
  /** Every shelf entry of the crawl, in rank order. */
  entries: z.array(rankingEntrySchema).max(1100),
  /** One per tracked product linked to the keyword. */
  standings: z.array(standingSchema).max(1000),
});

/** A tracked product's rank or presence changed between two successful crawls. */
export const rankingChangedV1 = z.object({
  crawlId: z.uuid(),
  keywordId: z.uuid(),
  productId: z.uuid(),
  /** Null when the product was not on the shelf before. */
  previousRank: z.number().int().positive().nullable(),
  /** Null when the product is no longer on the shelf. */
  currentRank: z.number().int().positive().nullable(),
  price: z.number().nonnegative().nullable(),
});

export type Standing = z.infer<typeof standingSchema>;
export type RankingEntry = z.infer<typeof rankingEntrySchema>;
