/**
 * Request/reply contracts of the marketplaces the crawler crawls: which a tenant can use, and how each is doing
 * (answers: `crawler.answers.ts`).
 */
import { z } from 'zod';

/** Request/reply subjects served by the crawler about its marketplaces. */
export const CRAWLER_MARKETPLACE_RPC = {
  /** The marketplaces a tenant can use, with its credentials summary and each one's status. */
  list: 'crawler.marketplace.list',
  /** Operator view (the health service): every marketplace's status, no tenant. */
  statuses: 'crawler.marketplace.statuses',
} as const;

/** `crawler.marketplace.list`: the tenant's view of the marketplaces. */
export const crawlerMarketplaceListRequest = z.object({ tenantId: z.uuid() });

/** `crawler.marketplace.statuses`: takes no payload. */
export const crawlerMarketplaceStatusesRequest = z.object({});

/**
 * How a marketplace is doing: `unknown` before any crawl of it finished; `unhealthy` when crawls finished in the
 * last 15 minutes and every one failed; `degraded` while the breaker is open, the quota is paused, or fewer than
 * half of at least 5 crawls of the last hour completed; `ok` otherwise.
 */
export const MARKETPLACE_STATES = ['ok', 'degraded', 'unhealthy', 'unknown'] as const;
export type MarketplaceState = (typeof MARKETPLACE_STATES)[number];

/** The marketplace's circuit breaker: `open` sends nothing, `halfOpen` lets one trial request through. */
export const MARKETPLACE_BREAKER_STATES = ['closed', 'open', 'halfOpen'] as const;
export type MarketplaceBreakerState = (typeof MARKETPLACE_BREAKER_STATES)[number];
