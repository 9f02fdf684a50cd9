import { z } from 'zod';
import { currencyCode } from '../marketplaces';
import { PLAN_NAMES } from '../plans';

/**
 * Per-keyword (or per-product) version stamped by the ranking: each event about one keyword carries a higher
 * version than the one before, so a consumer ignores an event older than what it already applied.
 * Optional: events published before versions existed have none.
 */
const version = z.number().int().nonnegative().optional();

/** A seller started tracking one of their products on a marketplace. */
export const trackingProductAddedV1 = z.object({
  productId: z.uuid(),
  /** Marketplace code, e.g. `naver`. */
  marketplace: z.string().min(1).max(50),
  /** The marketplace's id of the product (Naver `productId`): how the crawler recognises it on the shelf. */
  externalId: z.string().min(1).max(100),
  name: z.string().min(1).max(500),
  /** The seller's own price, to compare competitors against. */
  price: z.number().nonnegative(),
  /** The marketplace site (eBay `EBAY_US`, …); null or absent for marketplaces without sites. */
  site: z.string().max(20).nullable().optional(),
  /** ISO 4217 currency of `price` (the site's); absent on events from before currencies: KRW. */
  currency: currencyCode.optional(),
  /** The product's version (monotonic per product). */
  version,
});

/** A tracked product's name or price changed. */
export const trackingProductUpdatedV1 = z.object({
  productId: z.uuid(),
  name: z.string().min(1).max(500),
  price: z.number().nonnegative(),
  /** The product's version (monotonic per product). */
  version,
});

/** A product is no longer tracked (its keyword links go with it). */
export const trackingProductRemovedV1 = z.object({
  productId: z.uuid(),
  /** The product's version (monotonic per product); a removed product never comes back. */
  version,
});

/** A keyword was attached to a tracked product; the crawler projects it into its schedule. */
export const trackingKeywordAddedV1 = z.object({
  productId: z.uuid(),
  keywordId: z.uuid(),
  /** The search text exactly as shoppers type it. */
  keyword: z.string().min(1).max(200),
  /** Marketplace code, e.g. `naver`. */
  marketplace: z.string().min(1).max(50),
  /** The marketplace site the keyword is searched on (eBay `EBAY_US`, …); null or absent: the marketplace's only one. */
  site: z.string().max(20).nullable().optional(),
  /** How often the keyword is crawled: the keyword's one interval (set at creation, changed by `updated`). */
  intervalMinutes: z.number().int().min(5).max(10_080),
  /** Whether the keyword is paused (never crawled on schedule); absent on old events: not paused. */
  paused: z.boolean().optional(),
  /** The keyword's version (monotonic per keyword, over every `tracking.keyword.*` event of it). */
  version,
});

/** A keyword was detached from a product (the keyword stays scheduled while other products use it). */
export const trackingKeywordRemovedV1 = z.object({
  productId: z.uuid(),
  keywordId: z.uuid(),
  /** The keyword's version (monotonic per keyword). */
  version,
});

/** A keyword's interval or pause changed (PATCH /v1/keywords/:id); it keeps its id and history. */
export const trackingKeywordUpdatedV1 = z.object({
  keywordId: z.uuid(),
  /** The keyword's interval after the change. */
  intervalMinutes: z.number().int().min(5).max(10_080),
  /** Whether the keyword is paused after the change (a paused keyword is never crawled on schedule). */
  paused: z.boolean(),
  /** The keyword's version (monotonic per keyword). */
  version: z.number().int().nonnegative(),
});

/** A tenant's plan changed (the tenant is the envelope's); the crawler projects it for budget shares. */
export const trackingTenantPlanChangedV1 = z.object({
  plan: z.enum(PLAN_NAMES),
  /** The tenant's weight in the share of a platform daily budget. */
  shareWeight: z.number().int().min(1),
  maxKeywords: z.number().int().min(1),
  minIntervalMinutes: z.number().int().min(1),
  /** The tenant plan's version (monotonic per tenant). */
  version: z.number().int().nonnegative(),
});

/** What an exclusion matches: a marketplace product id, or a mall (seller) name. */
export const exclusionKindSchema = z.enum(['product', 'mall']);

/** Entries matching this never count as competitors (a seller's other listings, a reseller of theirs). */
export const trackingExclusionAddedV1 = z.object({
  exclusionId: z.uuid(),
  kind: exclusionKindSchema,
  value: z.string().min(1).max(200),
});

export const trackingExclusionRemovedV1 = z.object({
  exclusionId: z.uuid(),
});
