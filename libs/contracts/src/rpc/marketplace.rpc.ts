/** Request/reply contracts of the marketplaces the crawler crawls: which a tenant can use, and how each is doing. */
import { z } from 'zod';
import type { MarketplaceCapabilities } from '../marketplaces';

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

/** One marketplace's status (dates ISO 8601 on the wire). */
export interface MarketplaceStatusView {
  state: MarketplaceState;
  /** `open` when any live crawler replica's breaker is open; else the answering replica's (each has its own). */
  breaker: MarketplaceBreakerState;
  /** Requests the platform credentials sent today, retries included. */
  requestsToday: number;
  dailyQuota: number;
  quotaResetsAt: string;
  /** Set while an exhausted quota pauses every request. */
  pausedUntil: string | null;
  /** The newest failed crawl of the marketplace (in a tenant's list: of the tenant's own crawls). */
  lastError: { code: string; message: string; at: string } | null;
  /**
   * Completed / finished crawls of the last hour over every tenant (0..1); null when none finished in the hour.
   * Failures that are not the marketplace's (`keyword_removed`, `cancelled`, `tenant_quota_exhausted`) do not count.
   */
  successRateLastHour: number | null;
  /** Crawls finished (completed or failed) in the last hour. */
  crawlsLastHour: number;
  /**
   * Scheduled keywords whose last completed crawl (or creation) is older than twice their interval (in a tenant's
   * list: the tenant's own; for the operator: every tenant's).
   */
  keywordsOverdue: number;
}

/** What a tenant may see of the credentials its crawls use (never the credentials themselves). */
export interface MarketplaceCredentialsView {
  source: 'tenant' | 'platform' | 'none';
  last4: string | null;
  lastUsedAt: string | null;
  updatedAt: string | null;
}

/** Answer of `crawler.marketplace.list`. */
export interface CrawlerMarketplaceList {
  items: {
    id: string;
    name: string;
    /** What the marketplace's API can do (its adapter's declaration). */
    capabilities: MarketplaceCapabilities;
    credentials: MarketplaceCredentialsView;
    status: MarketplaceStatusView;
  }[];
}

/** Answer of `crawler.marketplace.statuses`. */
export interface CrawlerMarketplaceStatuses {
  items: { id: string; name: string; status: MarketplaceStatusView }[];
  /** When the newest crawl of any marketplace completed (ISO 8601); null when none ever did (or all were purged). */
  lastCompletedAt: string | null;
}
