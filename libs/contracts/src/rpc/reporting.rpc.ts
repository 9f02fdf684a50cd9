/** Request/reply contracts of the reporting service: subjects, request schemas, answer types. */
import { z } from 'zod';
import { AlertType } from '../events/alert.events';
import { PriceSource } from '../events/ranking.events';
import { OrderFidelity } from '../marketplaces';

/** Request/reply subjects served by the reporting service. */
export const REPORTING_RPC = {
  dashboard: 'reporting.dashboard.get',
  brands: 'reporting.brands.get',
  priceHistory: 'reporting.price-history.get',
  rankHistory: 'reporting.rank-history.get',
  /** One bounded CSV chunk of an export; the caller asks again with `nextCursor` until it is null. */
  exportPage: 'reporting.export.page',
} as const;

/** Bucket width of a history series. */
export const reportingBucketSchema = z.enum(['hour', 'day']);
export type ReportingBucket = z.infer<typeof reportingBucketSchema>;

const instant = z.iso.datetime({ offset: true });

/** Longest range a history answer covers, per bucket (hour: 93 days = 2 232 points per keyword). */
export const REPORTING_MAX_RANGE_DAYS: Record<ReportingBucket, number> = { hour: 93, day: 1_100 };
/**
 * Most buckets one rank-history answer holds across its series (~100 bytes each on the wire, so the answer
 * stays well inside one 1 MB NATS message): a week of hours for a product with 50 keywords. Asking for all
 * keywords of a product over a range that holds more is refused as `invalid`, naming the longest range that fits.
 */
export const REPORTING_MAX_HISTORY_POINTS = 50 * 7 * 24;
/** Longest range of a brand-share answer. */
export const REPORTING_BRANDS_MAX_RANGE_DAYS = 93;

export const reportingDashboardRequest = z.object({ tenantId: z.uuid() });

/** Crawl outcomes counted on the dashboard (a crawl counts once, in its latest state). */
export interface ReportingCrawlCounts {
  requested: number;
  running: number;
  completed: number;
  failed: number;
}

/** The tenant's overview, answered by one database query (cached briefly). */
export interface ReportingDashboardView {
  trackedProducts: number;
  /** Distinct keywords linked to at least one tracked product. */
  trackedKeywords: number;
  /** Crawls whose latest state change happened in the 24 h before `generatedAt`. */
  crawlsLast24h: ReportingCrawlCounts;
  /** Alerts raised and not resolved (acknowledged ones included), by type; absent types are 0. */
  openAlerts: Record<AlertType, number>;
  /** Mean of the latest rank of every tracked product × keyword that was found on its shelf; null: none. */
  averageRank: number | null;
  /** When the tenant's last successful crawl completed; null: never. */
  lastSuccessfulCrawlAt: string | null;
  generatedAt: string;
}

/** Brand share of a keyword's top N results, per day and over the range. */
export const reportingBrandsRequest = z.object({
  tenantId: z.uuid(),
  keywordId: z.uuid(),
  /** Inclusive; days are UTC days. */
  from: instant,
  /** Exclusive. */
  to: instant,
  /** Only the first `topN` results of each crawl count. */
  topN: z.number().int().min(1).max(100).default(10),
});

export interface ReportingBrandShare {
  /** As the marketplace spells it; `''` when the listing names no brand. */
  brand: string;
  /** Top-N positions the brand held, summed over the crawls. */
  slots: number;
  /** slots / all top-N positions shown in those crawls, 0..1. */
  share: number;
}

export interface ReportingBrandsView {
  keywordId: string;
  topN: number;
  from: string;
  to: string;
  /** Over the whole range, largest first (ties by brand). */
  brands: ReportingBrandShare[];
  /** One entry per UTC day that had a recorded crawl, oldest first. */
  days: { day: string; totalSlots: number; brands: ReportingBrandShare[] }[];
}

export const reportingRankHistoryRequest = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  /** Absent: one series per keyword of the product. */
  keywordId: z.uuid().optional(),
  from: instant,
  to: instant,
  bucket: reportingBucketSchema.default('day'),
});

/** One bucket of a product's rank on a keyword; ranks are null when it was never found in the bucket. */
export interface ReportingRankPoint {
  bucketStart: string;
  rankMin: number | null;
  rankMax: number | null;
  /** Rank at the bucket's last crawl (null: absent from that crawl). */
  rankLast: number | null;
  /** Crawls recorded in the bucket. */
  samples: number;
  /** How faithfully `rankLast` is the shopper's position (its crawl's; buckets from before issue 16: `exact`). */
  orderFidelity: OrderFidelity;
}

export interface ReportingRankHistoryView {
  productId: string;
  bucket: ReportingBucket;
  from: string;
  to: string;
  /** Ordered by keyword id; points oldest first, only buckets with at least one crawl. */
  series: { keywordId: string; points: ReportingRankPoint[] }[];
}

export const reportingPriceHistoryRequest = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  keywordId: z.uuid(),
  from: instant,
  to: instant,
  bucket: reportingBucketSchema.default('day'),
});

export interface ReportingPricePoint {
  bucketStart: string;
  /** My price at the bucket's last crawl: observed on the shelf, else the catalogue price (`priceSource`). */
  myPrice: number;
  /** `observed` or `catalog` (buckets recorded before observed prices: `catalog`). */
  priceSource: PriceSource;
  /** The mall my product was observed at, when `priceSource` is `observed`; else null. */
  observedMall: string | null;
  /** Lowest competitor price seen in the bucket, priced in `currency`; null: no competitor was priced in it. */
  lowestCompetitorPrice: number | null;
  /**
   * ISO 4217 currency of `myPrice` and `lowestCompetitorPrice`: the product's, so a product's price history is in
   * one currency (buckets from before issue 16: KRW).
   */
  currency: string;
}

export interface ReportingPriceHistoryView {
  productId: string;
  keywordId: string;
  bucket: ReportingBucket;
  from: string;
  to: string;
  points: ReportingPricePoint[];
}

/**
 * One chunk of the rank/price history CSV export (`product_id,keyword_id,bucket_start,rank_min,rank_max,
 * rank_last,samples,my_price,lowest_competitor_price,price_source`), ordered by product, keyword, bucket;
 * `price_source` says whether `my_price` was observed on the shelf or is the catalogue price. The first
 * chunk (no cursor) starts with the header line. Each chunk holds whole lines and at most `maxBytes`
 * (one line more if a single line is larger); the gateway writes chunks to the response as they come.
 */
export const reportingExportPageRequest = z.object({
  tenantId: z.uuid(),
  bucket: reportingBucketSchema.default('hour'),
  productId: z.uuid().optional(),
  keywordId: z.uuid().optional(),
  from: instant,
  to: instant,
  /** Opaque; `nextCursor` of the previous chunk. */
  cursor: z.string().min(1).max(300).optional(),
  maxBytes: z
    .number()
    .int()
    .min(4_096)
    .max(512 * 1024)
    .default(256 * 1024),
});

export interface ReportingExportPage {
  /** Whole CSV lines, each ending in `\n`. */
  csv: string;
  rows: number;
  /** Null after the last chunk. */
  nextCursor: string | null;
}
