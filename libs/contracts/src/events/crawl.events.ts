import { z } from 'zod';
import { AVAILABILITIES, ORDER_FIDELITIES, PLACEMENTS, currencyCode } from '../marketplaces';

const crawlRef = {
  crawlId: z.uuid(),
  keywordId: z.uuid(),
};

/** A crawl of one keyword was asked for, by the schedule or by a user. */
export const crawlRequestedV1 = z.object({
  ...crawlRef,
  keyword: z.string().min(1).max(200),
  marketplace: z.string().min(1).max(50),
  /** The marketplace site searched (eBay `EBAY_US`, …); null or absent: the marketplace's only one. */
  site: z.string().max(20).nullable().optional(),
  trigger: z.enum(['schedule', 'manual']),
});

/** The crawler took the crawl and holds the keyword's lock. */
export const crawlStartedV1 = z.object({
  ...crawlRef,
  startedAt: z.iso.datetime({ offset: true }),
});

/** One normalized search result as the marketplace showed it. */
export const crawlItemSchema = z.object({
  /** 1-based position on the shelf across pages. */
  rank: z.number().int().positive(),
  /** The marketplace's product id. */
  externalId: z.string().min(1),
  title: z.string(),
  mall: z.string(),
  /**
   * Price in the marketplace currency's minor-free unit (KRW has none); null when the marketplace shows the
   * listing without a price (Naver: `lprice: ""`). Never 0 for "no price".
   */
  price: z.number().nonnegative().nullable(),
  brand: z.string(),
  maker: z.string(),
  category: z.string(),
  link: z.string(),
  image: z.string(),
  /** Marketplace product type (Naver: 1–12, price-comparison/general/used/discontinued/pre-release groups). */
  productType: z.string(),
  /** ISO 4217 currency of `price`; absent on results crawled before currencies existed (all Naver: KRW). */
  currency: currencyCode.optional(),
  /** The seller's id at the marketplace (eBay username, Rakuten shopCode) when it gives one; `mall` is its name. */
  sellerId: z.string().max(200).nullable().optional(),
  /** Whether the listing can be bought now; null or absent when the marketplace does not say. */
  availability: z.enum(AVAILABILITIES).nullable().optional(),
  /** Reviews of the listing and their average rating (0–5) when the marketplace gives them. */
  reviewCount: z.number().int().nonnegative().nullable().optional(),
  reviewRating: z.number().min(0).max(5).nullable().optional(),
  /** Organic or paid position; absent means organic (every API crawled today returns organic results only). */
  placement: z.enum(PLACEMENTS).optional(),
  /** The listing's condition when the marketplace says it (eBay `condition`, e.g. `New`, `Used`). */
  condition: z.string().max(100).nullable().optional(),
});

export type CrawlItem = z.infer<typeof crawlItemSchema>;

/**
 * The crawl finished and these are the results, in rank order. A large result is split into `parts`
 * messages (each well under JetStream's 1 MB limit) carrying the same `crawlId`; items keep their
 * global rank, and a consumer records the crawl once it holds every part.
 */
export const crawlCompletedV1 = z.object({
  ...crawlRef,
  /** 1-based index of this part. */
  part: z.number().int().positive(),
  /** How many parts the crawl's results were split into (1 for almost every crawl). */
  parts: z.number().int().positive().max(64),
  keyword: z.string().min(1).max(200),
  marketplace: z.string().min(1).max(50),
  /** The marketplace site searched (eBay `EBAY_US`, …); null or absent: the marketplace's only one. */
  site: z.string().max(20).nullable().optional(),
  /** How faithfully `rank` is the shopper's position (the adapter declares it); absent on older events: `exact`. */
  orderFidelity: z.enum(ORDER_FIDELITIES).optional(),
  completedAt: z.iso.datetime({ offset: true }),
  pagesFetched: z.number().int().nonnegative(),
  items: z.array(crawlItemSchema).max(1100),
});

/** The crawl could not produce results; no ranking may be derived from it. */
export const crawlFailedV1 = z.object({
  ...crawlRef,
  failedAt: z.iso.datetime({ offset: true }),
  /**
   * Stable machine-readable cause, e.g. `quota_exhausted`, `throttled`, `upstream_error`, `timeout`, or
   * `tenant_quota_exhausted` (the tenant's share of the platform credentials' day is spent; not retryable today).
   */
  code: z.string().min(1),
  message: z.string(),
  /** Whether a later attempt may succeed. */
  retryable: z.boolean(),
  /** 1-based attempt of the crawl that failed (absent in events older than retries). */
  attempt: z.number().int().positive().optional(),
  /**
   * Whether the crawler tries the same crawl again (at `nextAttemptAt`); false or absent: this is the
   * crawl's final outcome.
   */
  willRetry: z.boolean().optional(),
  /** When the next attempt may start; null when none follows. */
  nextAttemptAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
