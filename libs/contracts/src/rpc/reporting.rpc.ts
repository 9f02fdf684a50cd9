/** Request/reply contracts of the reporting service: subjects and request schemas (answers: `reporting.answers.ts`). */
import { z } from 'zod';

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

export const reportingRankHistoryRequest = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  /** Absent: one series per keyword of the product. */
  keywordId: z.uuid().optional(),
  from: instant,
  to: instant,
  bucket: reportingBucketSchema.default('day'),
});

export const reportingPriceHistoryRequest = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  keywordId: z.uuid(),
  from: instant,
  to: instant,
  bucket: reportingBucketSchema.default('day'),
});

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
