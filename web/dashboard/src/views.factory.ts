import type {
  CrawlHealth,
  CrawlView,
  LatestEntry,
  MarketplaceCapabilities,
  MarketplaceStatus,
  MarketplaceView,
  TenantPlan,
} from './types';

// Contract-shaped answers of issues 15 and 16 for the unit specs, each with overrides.

export function marketplaceStatus(overrides: Partial<MarketplaceStatus> = {}): MarketplaceStatus {
  return {
    state: 'ok',
    breaker: 'closed',
    requestsToday: 1_200,
    dailyQuota: 25_000,
    quotaResetsAt: '2026-12-04T15:00:00.000Z',
    pausedUntil: null,
    lastError: null,
    successRateLastHour: 0.98,
    crawlsLastHour: 50,
    keywordsOverdue: 0,
    ...overrides,
  };
}

export function crawlHealth(overrides: Partial<CrawlHealth> = {}): CrawlHealth {
  return {
    failing: false,
    consecutiveFailures: 0,
    lastError: null,
    lastCrawledAt: '2026-12-03T10:00:00.000Z',
    ...overrides,
  };
}

export function plan(overrides: Partial<TenantPlan> = {}): TenantPlan {
  return { name: 'standard', shareWeight: 2, maxKeywords: 200, minIntervalMinutes: 15, ...overrides };
}

export function crawl(overrides: Partial<CrawlView> = {}): CrawlView {
  return {
    crawlId: '00000000-0000-4000-8000-000000000001',
    tenantId: '00000000-0000-4000-8000-000000000002',
    keywordId: '00000000-0000-4000-8000-000000000003',
    trigger: 'manual',
    status: 'requested',
    requestedAt: '2026-12-03T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    pagesFetched: null,
    itemCount: null,
    failureCode: null,
    failureMessage: null,
    correlationId: 'c-1',
    traceparent: null,
    attempts: 1,
    nextAttemptAt: null,
    ...overrides,
  };
}

/** A listing of `rankings/latest` as Naver gives it (the ranking serves none of the issue 16 listing fields). */
export function latestEntry(overrides: Partial<LatestEntry> = {}): LatestEntry {
  return {
    rank: 1,
    externalId: 'p-1',
    productId: null,
    title: 'Wireless earbuds',
    mall: 'Acme Mall',
    brand: 'Acme',
    price: 12_900,
    currency: 'KRW',
    excluded: false,
    sellerId: null,
    availability: null,
    reviewCount: null,
    reviewRating: null,
    condition: null,
    placement: 'organic',
    ...overrides,
  };
}

/** eBay's capabilities as its adapter declares them. */
export function capabilities(overrides: Partial<MarketplaceCapabilities> = {}): MarketplaceCapabilities {
  return {
    pageSize: 200,
    maxDepth: 10_000,
    ratePerSecond: 5,
    dailyQuota: 5_000,
    orderFidelity: 'approximate',
    fields: ['seller', 'availability', 'condition', 'placement'],
    currencies: ['USD', 'GBP'],
    sites: ['EBAY_US', 'EBAY_GB'],
    locales: ['en-US', 'en-GB'],
    ...overrides,
  };
}

/** A marketplace of `GET /v1/marketplaces`. */
export function marketplace(overrides: Partial<MarketplaceView> = {}): MarketplaceView {
  return {
    id: 'naver',
    name: 'Naver Shopping',
    capabilities: capabilities({
      pageSize: 100,
      maxDepth: 1100,
      ratePerSecond: 10,
      dailyQuota: 25_000,
      orderFidelity: 'exact',
      fields: ['seller'],
      currencies: ['KRW'],
      sites: [],
      locales: ['ko-KR'],
    }),
    credentials: { source: 'platform', last4: null, lastUsedAt: null, updatedAt: null },
    status: marketplaceStatus(),
    ...overrides,
  };
}
