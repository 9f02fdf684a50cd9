/**
 * Answer schemas of the ranking service's request/reply subjects: the one definition of each answer shape.
 * Their types are the answer types, and the gateway's OpenAPI document shows them as they are here.
 */
import { z } from 'zod';
import { priceSourceSchema, rankingEntrySchema, standingSchema } from '../events/ranking.events';
import { ORDER_FIDELITIES, currencyCode } from '../marketplaces';
import { PLAN_NAMES, PlanView } from '../plans';
import { isoDate, pageOf } from './answer-shapes';

/** A keyword's crawl health: failing after several crawls in a row ended failed (retried attempts not counted). */
export const rankingKeywordCrawlHealthSchema = z
  .object({
    failing: z
      .boolean()
      .describe('At least CRAWL_FAILING_AFTER crawls in a row ended failed; a completed crawl clears it'),
    consecutiveFailures: z.number().int().nonnegative(),
    lastError: z
      .object({ code: z.string(), message: z.string(), at: isoDate })
      .nullable()
      .describe('The last failed crawl while failures run; null once a crawl completed'),
    lastCrawledAt: isoDate.nullable().describe('When a crawl of the keyword last completed'),
  })
  .meta({ id: 'KeywordCrawlHealth' });
export type RankingKeywordCrawlHealth = z.infer<typeof rankingKeywordCrawlHealthSchema>;

/** The site a product or keyword is on. */
const siteView = z.string().nullable().describe('eBay site (EBAY_US, EBAY_GB, …); null for marketplaces without sites');

/** Where a product stood on one of its keywords at that keyword's latest recorded crawl. */
export const rankingProductKeywordSchema = z.object({
  keywordId: z.uuid(),
  keyword: z.string(),
  rank: z.number().int().nullable().describe('Rank at the latest crawl; null when not found or never crawled'),
  /** previousRank − rank; null unless both are known. */
  change: z.number().int().nullable().describe('Positive: moved up since the crawl before'),
  /** Cheapest competitor at the latest crawl priced in `currency`; null when none or never crawled. */
  lowestCompetitorPrice: z.number().nullable(),
  myPrice: z.number().describe('Observed on the shelf at the latest crawl, else the catalogue price'),
  priceSource: priceSourceSchema,
  observedMall: z.string().nullable().describe('Where my product was observed; null for a catalogue price'),
  currency: currencyCode.describe("ISO 4217 currency of myPrice and lowestCompetitorPrice: the product's"),
  orderFidelity: z
    .enum(ORDER_FIDELITIES)
    .describe("How faithfully rank is the shopper's position at the latest crawl (exact when never crawled)"),
  lastCrawledAt: isoDate.nullable(),
  intervalMinutes: z.number().int().describe("The keyword's crawl interval"),
  paused: z.boolean().describe('A paused keyword is not crawled on schedule'),
  crawlHealth: rankingKeywordCrawlHealthSchema,
});
export type RankingProductKeyword = z.infer<typeof rankingProductKeywordSchema>;

/** A tracked product as callers see it. */
export const rankingProductViewSchema = z
  .object({
    id: z.uuid(),
    marketplace: z.string(),
    site: siteView,
    currency: z.string().describe("ISO 4217 currency of price: the site's (marketplace's)"),
    externalId: z.string(),
    name: z.string(),
    price: z.number().describe('In currency; up to two decimals'),
    createdAt: isoDate,
    keywords: z.array(rankingProductKeywordSchema),
  })
  .meta({ id: 'Product' });
export type RankingProductView = z.infer<typeof rankingProductViewSchema>;

/** A tenant's keyword as callers see it. */
export const rankingKeywordViewSchema = z
  .object({
    id: z.uuid(),
    marketplace: z.string(),
    site: siteView.describe('The site the keyword is searched on (its products’ site); null without sites'),
    keyword: z.string(),
    intervalMinutes: z.number().int().describe('How often the keyword is crawled (PATCH changes it)'),
    paused: z.boolean().describe('A paused keyword is not crawled on schedule; a manual crawl still is'),
    productIds: z.array(z.uuid()),
    crawlHealth: rankingKeywordCrawlHealthSchema,
  })
  .meta({ id: 'Keyword' });
export type RankingKeywordView = z.infer<typeof rankingKeywordViewSchema>;

/** An attach: the keyword, and whether this call linked it (false: the product already had it). */
export const rankingKeywordAttachedSchema = z
  .object({
    productId: z.uuid(),
    keywordId: z.uuid(),
    keyword: z.string(),
    marketplace: z.string(),
    site: siteView,
    intervalMinutes: z.number().int(),
    created: z.boolean().describe('False when the product already had this keyword'),
  })
  .meta({ id: 'KeywordAttached' });
export type RankingKeywordAttached = z.infer<typeof rankingKeywordAttachedSchema>;

/** An exclusion as callers see it. */
export const rankingExclusionViewSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['product', 'mall']),
    value: z.string(),
    createdAt: isoDate,
  })
  .meta({ id: 'Exclusion' });
export type RankingExclusionView = z.infer<typeof rankingExclusionViewSchema>;

/** The latest recorded crawl of a keyword: the standings of its tracked products and the whole shelf. */
export const rankingLatestViewSchema = z
  .object({
    keywordId: z.uuid(),
    /** Null while the keyword has never been crawled successfully. */
    crawl: z
      .object({
        crawlId: z.uuid(),
        crawledAt: isoDate,
        recordedAt: isoDate,
        /** From the crawl's `crawl.completed`. */
        orderFidelity: z.enum(ORDER_FIDELITIES).describe("How faithfully the ranks are the shopper's positions"),
      })
      .nullable(),
    standings: z.array(standingSchema),
    /** The shelf from `fromRank` on, cut at a byte budget (PAGE_MAX_BYTES) so the answer fits in one message. */
    entries: z.array(rankingEntrySchema.extend({ title: z.string() })),
    /** The rank to ask for next (`fromRank`) when the shelf was cut; null when `entries` reach its end. */
    nextRank: z.number().int().nullable(),
  })
  .meta({ id: 'LatestRanking' });
export type RankingLatestView = z.infer<typeof rankingLatestViewSchema>;

/** A tenant's plan as the ranking answers it: its name and its limits. */
export const rankingTenantPlanViewSchema = z
  .object({
    name: z.enum(PLAN_NAMES),
    shareWeight: z.number().int().describe("The tenant's weight in the share of a platform daily budget"),
    maxKeywords: z.number().int().describe('Distinct keywords the tenant may track'),
    minIntervalMinutes: z.number().int().describe('The shortest crawl interval a keyword may have'),
  })
  .meta({ id: 'Plan' }) satisfies z.ZodType<PlanView>;
export type RankingTenantPlanView = PlanView;

/** Answers of the deleting commands. */
export const rankingProductRemovedSchema = z.object({ productId: z.uuid(), removed: z.literal(true) });
export type RankingProductRemoved = z.infer<typeof rankingProductRemovedSchema>;
export const rankingKeywordRemovedSchema = z.object({
  productId: z.uuid(),
  keywordId: z.uuid(),
  removed: z.literal(true),
});
export type RankingKeywordRemoved = z.infer<typeof rankingKeywordRemovedSchema>;
export const rankingExclusionRemovedSchema = z.object({ exclusionId: z.uuid(), removed: z.literal(true) });
export type RankingExclusionRemoved = z.infer<typeof rankingExclusionRemovedSchema>;

/** Pages of the list subjects (named `<item>Page` in the OpenAPI document). */
export const rankingProductPageSchema = pageOf(rankingProductViewSchema);
export const rankingKeywordPageSchema = pageOf(rankingKeywordViewSchema);
export const rankingExclusionPageSchema = pageOf(rankingExclusionViewSchema);
