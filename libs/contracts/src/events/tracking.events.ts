import { z } from 'zod';

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
