/**
 * Answer schemas of the crawler service's request/reply subjects (crawls, credentials, budgets, marketplaces):
 * the one definition of each answer shape. Their types are the answer types, and the gateway's OpenAPI document
 * shows them as they are here.
 */
import { z } from 'zod';
import { MarketplaceCapabilities, ORDER_FIDELITIES, RESULT_FIELDS } from '../marketplaces';
import { isoDate, pageOf } from './answer-shapes';
import { crawlStatusSchema } from './crawler.rpc';
import { MARKETPLACE_BREAKER_STATES, MARKETPLACE_STATES } from './marketplace.rpc';

/** Answer of `crawler.crawl.request`. */
export const crawlerCrawlRequestedSchema = z.object({ crawlId: z.uuid() });
export type CrawlerCrawlRequested = z.infer<typeof crawlerCrawlRequestedSchema>;

/** One crawl run as callers see it (dates as ISO 8601 on the wire). */
export const crawlerCrawlViewSchema = z
  .object({
    crawlId: z.uuid(),
    tenantId: z.uuid(),
    keywordId: z.uuid(),
    trigger: z.enum(['schedule', 'manual']),
    status: crawlStatusSchema,
    requestedAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
    pagesFetched: z.number().int().nullable(),
    itemCount: z.number().int().nullable(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    correlationId: z.uuid(),
    traceparent: z.string().nullable(),
    attempts: z
      .number()
      .int()
      .nonnegative()
      .describe('Attempts started so far; more than 1 when the crawl was retried'),
    nextAttemptAt: isoDate.nullable().describe('When a crawl waiting for a retry is tried again'),
  })
  .meta({ id: 'Crawl' });
export type CrawlerCrawlView = z.infer<typeof crawlerCrawlViewSchema>;
export const crawlerCrawlPageSchema = pageOf(crawlerCrawlViewSchema);

/** Whose credentials a tenant's crawls of a marketplace use; `none`: nobody's, crawls fail with `auth_failed`. */
export const crawlerCredentialSourceSchema = z.enum(['tenant', 'platform', 'none']);
export type CrawlerCredentialSource = z.infer<typeof crawlerCredentialSourceSchema>;

/** What a tenant may see of the credentials its crawls use (never the credentials themselves). */
export const marketplaceCredentialsViewSchema = z
  .object({
    source: crawlerCredentialSourceSchema,
    /** Last four characters of the tenant's own client id; null for the platform's. */
    last4: z.string().nullable(),
    /** When a crawl last used the tenant's own credentials (to the minute); null for the platform's. */
    lastUsedAt: isoDate.nullable(),
    /** When the tenant's own credentials were last stored; null for the platform's. */
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'MarketplaceCredentials' });
export type MarketplaceCredentialsView = z.infer<typeof marketplaceCredentialsViewSchema>;

/** Answer of `crawler.credentials.get`: the credentials of one marketplace as the tenant sees them. */
export const crawlerCredentialsViewSchema = marketplaceCredentialsViewSchema.extend({ marketplace: z.string() });
export type CrawlerCredentialsView = z.infer<typeof crawlerCredentialsViewSchema>;

/** Answer of `crawler.credentials.put`: the stored credentials as the tenant sees them. */
export const crawlerCredentialsStoredSchema = z
  .object({
    marketplace: z.string(),
    source: z.literal('tenant'),
    last4: z.string().describe('Last four characters of the client id; the id and secret are never given back'),
    updatedAt: isoDate,
    lastUsedAt: isoDate.nullable().describe('When a crawl last used them, to the minute'),
  })
  .meta({ id: 'CredentialsStored' });
export type CrawlerCredentialsStored = z.infer<typeof crawlerCredentialsStoredSchema>;

/** Answer of `crawler.credentials.delete`. */
export const crawlerCredentialsDeletedSchema = z.object({ deleted: z.literal(true) });

/** One marketplace's status (dates ISO 8601 on the wire); see {@link MARKETPLACE_STATES} for the states. */
export const marketplaceStatusViewSchema = z
  .object({
    state: z
      .enum(MARKETPLACE_STATES)
      .describe(
        'unknown before any crawl finished; unhealthy when every crawl of the last 15 minutes failed; degraded ' +
          'while the breaker is open, the quota is paused, or under half of at least 5 crawls of the hour completed',
      ),
    /** Else the answering replica's (each has its own). */
    breaker: z.enum(MARKETPLACE_BREAKER_STATES).describe('open while any crawler replica’s circuit breaker is open'),
    /** Retries included. */
    requestsToday: z.number().int().nonnegative().describe('Requests the platform credentials sent today'),
    dailyQuota: z.number().int().nonnegative(),
    quotaResetsAt: isoDate,
    pausedUntil: isoDate.nullable().describe('Set while an exhausted quota pauses every request'),
    /** The newest failed crawl of the marketplace (in a tenant's list: of the tenant's own crawls). */
    lastError: z
      .object({ code: z.string(), message: z.string(), at: isoDate })
      .nullable()
      .describe('The newest failure of your crawls of this marketplace'),
    /**
     * Failures that are not the marketplace's (`keyword_removed`, `cancelled`, `tenant_quota_exhausted`) do
     * not count.
     */
    successRateLastHour: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('Completed over finished crawls of the last hour, every tenant; null when none finished'),
    /** Crawls finished (completed or failed) in the last hour. */
    crawlsLastHour: z.number().int().nonnegative(),
    /** In a tenant's list: the tenant's own; for the operator: every tenant's. */
    keywordsOverdue: z
      .number()
      .int()
      .nonnegative()
      .describe('Your keywords not crawled successfully for over twice their interval'),
  })
  .meta({ id: 'MarketplaceStatus' });
export type MarketplaceStatusView = z.infer<typeof marketplaceStatusViewSchema>;

/** What a marketplace's search API can do, as its adapter declares it ({@link MarketplaceCapabilities}). */
export const marketplaceCapabilitiesSchema = z
  .object({
    pageSize: z.number().int().positive().describe('Results per request at most'),
    maxDepth: z.number().int().positive().describe('Deepest shelf position the API returns'),
    ratePerSecond: z.number().positive().describe('Requests per second one credential may send'),
    dailyQuota: z.number().int().nonnegative().describe('Requests per day one credential may send'),
    orderFidelity: z
      .enum(ORDER_FIDELITIES)
      .describe('exact: ranks are the shelf as shoppers see it; approximate: the API orders results like it'),
    fields: z.array(z.enum(RESULT_FIELDS)).describe('Optional result fields the marketplace fills'),
    currencies: z.array(z.string()).describe('ISO 4217 currencies its prices come in'),
    sites: z.array(z.string()).describe('Sites a product may be on (eBay: EBAY_US, …); empty when it has one'),
    locales: z.array(z.string()).describe('e.g. ko-KR'),
  })
  .meta({ id: 'MarketplaceCapabilities' }) satisfies z.ZodType<MarketplaceCapabilities>;

/** Answer of `crawler.marketplace.list`. */
export const crawlerMarketplaceListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string().describe('e.g. naver'),
        name: z.string().describe('e.g. Naver Shopping'),
        capabilities: marketplaceCapabilitiesSchema,
        credentials: marketplaceCredentialsViewSchema,
        status: marketplaceStatusViewSchema,
      }),
    ),
  })
  .meta({ id: 'Marketplaces' });
export type CrawlerMarketplaceList = z.infer<typeof crawlerMarketplaceListSchema>;

/** Answer of `crawler.marketplace.statuses`. */
export const crawlerMarketplaceStatusesSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), status: marketplaceStatusViewSchema })),
  /** When the newest crawl of any marketplace completed (ISO 8601); null when none ever did (or all were purged). */
  lastCompletedAt: isoDate.nullable(),
});
export type CrawlerMarketplaceStatuses = z.infer<typeof crawlerMarketplaceStatusesSchema>;
