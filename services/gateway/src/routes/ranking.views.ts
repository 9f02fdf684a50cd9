import {
  ORDER_FIDELITIES,
  RankingExclusionView,
  RankingKeywordAttached,
  RankingKeywordView,
  RankingLatestView,
  RankingProductView,
  currencyCode,
  priceSourceSchema,
  rankingEntrySchema,
  standingSchema,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { isoDate } from '../http/http-schemas';

// Response shapes for the OpenAPI document; `satisfies` ties each to the ranking's answer type.

/** How a keyword's crawls have been going (final outcomes; retried attempts are not counted). */
export const keywordCrawlHealth = z
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

/** The site a product or keyword is on. */
const siteView = z.string().nullable().describe('eBay site (EBAY_US, EBAY_GB, …); null for marketplaces without sites');

export const productView = z
  .object({
    id: z.uuid(),
    marketplace: z.string(),
    site: siteView,
    currency: z.string().describe("ISO 4217 currency of price: the site's (marketplace's)"),
    externalId: z.string(),
    name: z.string(),
    price: z.number().describe('In currency; up to two decimals'),
    createdAt: isoDate,
    keywords: z.array(
      z.object({
        keywordId: z.uuid(),
        keyword: z.string(),
        rank: z.number().int().nullable().describe('Rank at the latest crawl; null when not found or never crawled'),
        change: z.number().int().nullable().describe('Positive: moved up since the crawl before'),
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
        crawlHealth: keywordCrawlHealth,
      }),
    ),
  })
  .meta({ id: 'Product' }) satisfies z.ZodType<RankingProductView>;

export const keywordView = z
  .object({
    id: z.uuid(),
    marketplace: z.string(),
    site: siteView.describe('The site the keyword is searched on (its products’ site); null without sites'),
    keyword: z.string(),
    intervalMinutes: z.number().int().describe('How often the keyword is crawled (PATCH changes it)'),
    paused: z.boolean().describe('A paused keyword is not crawled on schedule; a manual crawl still is'),
    productIds: z.array(z.uuid()),
    crawlHealth: keywordCrawlHealth,
  })
  .meta({ id: 'Keyword' }) satisfies z.ZodType<RankingKeywordView>;

export const keywordAttached = z
  .object({
    productId: z.uuid(),
    keywordId: z.uuid(),
    keyword: z.string(),
    marketplace: z.string(),
    site: siteView,
    intervalMinutes: z.number().int(),
    created: z.boolean().describe('False when the product already had this keyword'),
  })
  .meta({ id: 'KeywordAttached' }) satisfies z.ZodType<RankingKeywordAttached>;

export const exclusionView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['product', 'mall']),
    value: z.string(),
    createdAt: isoDate,
  })
  .meta({ id: 'Exclusion' }) satisfies z.ZodType<RankingExclusionView>;

export const latestRankingView = z
  .object({
    keywordId: z.uuid(),
    crawl: z
      .object({
        crawlId: z.uuid(),
        crawledAt: isoDate,
        recordedAt: isoDate,
        orderFidelity: z.enum(ORDER_FIDELITIES).describe("How faithfully the ranks are the shopper's positions"),
      })
      .nullable(),
    standings: z.array(standingSchema),
    entries: z.array(rankingEntrySchema.extend({ title: z.string() })),
    nextRank: z.number().int().nullable(),
  })
  .meta({ id: 'LatestRanking' }) satisfies z.ZodType<RankingLatestView>;
