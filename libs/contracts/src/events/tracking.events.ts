import { z } from 'zod';

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
});

/** A tracked product's name or price changed. */
export const trackingProductUpdatedV1 = z.object({
  productId: z.uuid(),
  name: z.string().min(1).max(500),
  price: z.number().nonnegative(),
});

/** A product is no longer tracked (its keyword links go with it). */
export const trackingProductRemovedV1 = z.object({
  productId: z.uuid(),
});

/** A keyword was attached to a tracked product; the crawler projects it into its schedule. */
export const trackingKeywordAddedV1 = z.object({
  productId: z.uuid(),
  keywordId: z.uuid(),
  /** The search text exactly as shoppers type it. */
  keyword: z.string().min(1).max(200),
  /** Marketplace code, e.g. `naver`. */
  marketplace: z.string().min(1).max(50),
  /** How often the keyword is crawled. */
  intervalMinutes: z.number().int().min(5).max(10_080),
});

/** A keyword was detached from a product (the keyword stays scheduled while other products use it). */
export const trackingKeywordRemovedV1 = z.object({
  productId: z.uuid(),
  keywordId: z.uuid(),
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
