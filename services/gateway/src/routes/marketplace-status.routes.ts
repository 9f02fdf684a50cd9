import {
  CRAWLER_MARKETPLACE_RPC,
  CrawlerMarketplaceList,
  MARKETPLACE_BREAKER_STATES,
  MARKETPLACE_STATES,
  MarketplaceCapabilities,
  MarketplaceCredentialsView,
  MarketplaceStatusView,
  ORDER_FIDELITIES,
  RESULT_FIELDS,
} from '@shelfwatch/contracts';
import { z } from 'zod';
import { Downstream } from '../downstream/downstream';
import { isoDate } from '../http/http-schemas';
import { AnyRoute, route } from '../http/route';

/** How a marketplace is doing, as `GET /v1/marketplaces` shows it. */
export const marketplaceStatusView = z
  .object({
    state: z
      .enum(MARKETPLACE_STATES)
      .describe(
        'unknown before any crawl finished; unhealthy when every crawl of the last 15 minutes failed; degraded ' +
          'while the breaker is open, the quota is paused, or under half of at least 5 crawls of the hour completed',
      ),
    breaker: z.enum(MARKETPLACE_BREAKER_STATES).describe('open while any crawler replica’s circuit breaker is open'),
    requestsToday: z.number().int().nonnegative().describe('Requests the platform credentials sent today'),
    dailyQuota: z.number().int().nonnegative(),
    quotaResetsAt: isoDate,
    pausedUntil: isoDate.nullable().describe('Set while an exhausted quota pauses every request'),
    lastError: z
      .object({ code: z.string(), message: z.string(), at: isoDate })
      .nullable()
      .describe('The newest failure of your crawls of this marketplace'),
    successRateLastHour: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('Completed over finished crawls of the last hour, every tenant; null when none finished'),
    crawlsLastHour: z.number().int().nonnegative(),
    keywordsOverdue: z
      .number()
      .int()
      .nonnegative()
      .describe('Your keywords not crawled successfully for over twice their interval'),
  })
  .meta({ id: 'MarketplaceStatus' }) satisfies z.ZodType<MarketplaceStatusView>;

/** Which credentials the tenant's crawls of a marketplace use (never the credentials themselves). */
export const marketplaceCredentialsView = z
  .object({
    source: z.enum(['tenant', 'platform', 'none']),
    last4: z.string().nullable(),
    lastUsedAt: isoDate.nullable(),
    updatedAt: isoDate.nullable(),
  })
  .meta({ id: 'MarketplaceCredentials' }) satisfies z.ZodType<MarketplaceCredentialsView>;

/** What a marketplace's search API can do, as its adapter declares it. */
export const marketplaceCapabilitiesView = z
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

const marketplaceList = z
  .object({
    items: z.array(
      z.object({
        id: z.string().describe('e.g. naver'),
        name: z.string().describe('e.g. Naver Shopping'),
        capabilities: marketplaceCapabilitiesView,
        credentials: marketplaceCredentialsView,
        status: marketplaceStatusView,
      }),
    ),
  })
  .meta({ id: 'Marketplaces' }) satisfies z.ZodType<CrawlerMarketplaceList>;

/** The marketplaces a tenant can use and how each is doing: the crawler service. */
export function marketplaceStatusRoutes(downstream: Downstream): AnyRoute[] {
  return [
    route({
      method: 'GET',
      path: '/v1/marketplaces',
      operationId: 'listMarketplaces',
      summary: 'List the marketplaces you can use: what each can do, the credentials your crawls use, its status',
      tag: 'marketplaces',
      access: 'tenant',
      status: 200,
      response: marketplaceList,
      handle: ({ tenantId }) => downstream.call<CrawlerMarketplaceList>(CRAWLER_MARKETPLACE_RPC.list, { tenantId }),
    }),
  ];
}
