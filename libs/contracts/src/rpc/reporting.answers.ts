/**
 * Answer schemas of the reporting service's request/reply subjects: the one definition of each answer shape.
 * Their types are the answer types, and the gateway's OpenAPI document shows them as they are here.
 */
import { z } from 'zod';
import { alertTypeSchema } from '../events/alert.events';
import { priceSourceSchema } from '../events/ranking.events';
import { ORDER_FIDELITIES, currencyCode } from '../marketplaces';
import { isoDate } from './answer-shapes';
import { reportingBucketSchema } from './reporting.rpc';

/** Crawl outcomes counted on the dashboard (a crawl counts once, in its latest state). */
export const reportingCrawlCountsSchema = z.object({
  requested: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});
export type ReportingCrawlCounts = z.infer<typeof reportingCrawlCountsSchema>;

/** The tenant's overview, answered by one database query (cached briefly). */
export const reportingDashboardViewSchema = z
  .object({
    trackedProducts: z.number().int(),
    /** Distinct keywords linked to at least one tracked product. */
    trackedKeywords: z.number().int(),
    /** Crawls whose latest state change happened in the 24 h before `generatedAt`. */
    crawlsLast24h: reportingCrawlCountsSchema,
    /** Alerts raised and not resolved (acknowledged ones included), by type; absent types are 0. */
    openAlerts: z.record(alertTypeSchema, z.number().int()),
    /** Mean of the latest rank of every tracked product × keyword that was found on its shelf; null: none. */
    averageRank: z.number().nullable(),
    /** When the tenant's last successful crawl completed; null: never. */
    lastSuccessfulCrawlAt: isoDate.nullable(),
    generatedAt: isoDate,
  })
  .meta({ id: 'Dashboard' });
export type ReportingDashboardView = z.infer<typeof reportingDashboardViewSchema>;

export const reportingBrandShareSchema = z
  .object({
    /** As the marketplace spells it; `''` when the listing names no brand. */
    brand: z.string(),
    /** Top-N positions the brand held, summed over the crawls. */
    slots: z.number().int(),
    /** slots / all top-N positions shown in those crawls, 0..1. */
    share: z.number(),
  })
  .meta({ id: 'BrandShare' });
export type ReportingBrandShare = z.infer<typeof reportingBrandShareSchema>;

export const reportingBrandsViewSchema = z
  .object({
    keywordId: z.uuid(),
    topN: z.number().int(),
    from: isoDate,
    to: isoDate,
    /** Over the whole range, largest first (ties by brand). */
    brands: z.array(reportingBrandShareSchema),
    /** One entry per UTC day that had a recorded crawl, oldest first. */
    days: z.array(
      z.object({ day: z.string(), totalSlots: z.number().int(), brands: z.array(reportingBrandShareSchema) }),
    ),
  })
  .meta({ id: 'BrandShares' });
export type ReportingBrandsView = z.infer<typeof reportingBrandsViewSchema>;

/** One bucket of a product's rank on a keyword; ranks are null when it was never found in the bucket. */
export const reportingRankPointSchema = z.object({
  bucketStart: isoDate,
  rankMin: z.number().int().nullable(),
  rankMax: z.number().int().nullable(),
  /** Rank at the bucket's last crawl (null: absent from that crawl). */
  rankLast: z.number().int().nullable(),
  /** Crawls recorded in the bucket. */
  samples: z.number().int(),
  /** Its crawl's; buckets from before issue 16: `exact`. */
  orderFidelity: z
    .enum(ORDER_FIDELITIES)
    .describe("How faithfully rankLast is the shopper's position (the bucket's last crawl)"),
});
export type ReportingRankPoint = z.infer<typeof reportingRankPointSchema>;

export const reportingRankHistoryViewSchema = z
  .object({
    productId: z.uuid(),
    bucket: reportingBucketSchema,
    from: isoDate,
    to: isoDate,
    /** Ordered by keyword id; points oldest first, only buckets with at least one crawl. */
    series: z.array(z.object({ keywordId: z.uuid(), points: z.array(reportingRankPointSchema) })),
  })
  .meta({ id: 'RankHistory' });
export type ReportingRankHistoryView = z.infer<typeof reportingRankHistoryViewSchema>;

export const reportingPricePointSchema = z.object({
  bucketStart: isoDate,
  myPrice: z.number().describe("At the bucket's last crawl: observed on the shelf, else the catalogue price"),
  /** `observed` or `catalog` (buckets recorded before observed prices: `catalog`). */
  priceSource: priceSourceSchema,
  /** The mall my product was observed at, when `priceSource` is `observed`; else null. */
  observedMall: z.string().nullable(),
  /** Lowest competitor price seen in the bucket, priced in `currency`; null: no competitor was priced in it. */
  lowestCompetitorPrice: z.number().nullable(),
  /** Buckets from before issue 16: KRW. */
  currency: currencyCode.describe("ISO 4217 currency of both prices: the product's (one per history)"),
});
export type ReportingPricePoint = z.infer<typeof reportingPricePointSchema>;

export const reportingPriceHistoryViewSchema = z
  .object({
    productId: z.uuid(),
    keywordId: z.uuid(),
    bucket: reportingBucketSchema,
    from: isoDate,
    to: isoDate,
    points: z.array(reportingPricePointSchema),
  })
  .meta({ id: 'PriceHistory' });
export type ReportingPriceHistoryView = z.infer<typeof reportingPriceHistoryViewSchema>;

/** One chunk of the CSV export (see `reportingExportPageRequest`). */
export const reportingExportPageSchema = z.object({
  /** Whole CSV lines, each ending in `\n`. */
  csv: z.string(),
  rows: z.number().int().nonnegative(),
  /** Null after the last chunk. */
  nextCursor: z.string().nullable(),
});
export type ReportingExportPage = z.infer<typeof reportingExportPageSchema>;
