import type { components } from './api.gen';

/** The named schemas of the OpenAPI document (docs/openapi.json): what the gateway answers, generated. */
type Schemas = components['schemas'];

/** `GET`/`PUT /v1/alert-rules`. */
export type AlertRulesView = Schemas['AlertRules'];

// The REST answers are the services' RPC answers (dates already ISO strings): the shared contract types are
// imported for their types only, so nothing of the contracts library ends up in the bundle.
export type {
  AlertRuleSettings,
  AlertStatus,
  AlertType,
  AlertView,
  CrawlerCrawlView,
  DeliveryView,
  EbaySite,
  Marketplace,
  MarketplaceCapabilities,
  OrderFidelity,
  Page,
  RankingExclusionView,
  RankingKeywordAttached,
  RankingKeywordView,
  RankingLatestView,
  RankingProductKeyword,
  RankingProductView,
  ReportingBrandShare,
  ReportingBrandsView,
  ReportingBucket,
  ReportingDashboardView,
  ReportingPriceHistoryView,
  ReportingRankHistoryView,
  WebhookCreated,
  WebhookView,
} from '@shelfwatch/contracts';

// ---- Issue 15 views: the contract types, and the answers the gateway composes from them. Fields added to
// existing answers stay optional here, so the page renders an answer that lacks them (a gateway rolled back).
import type {
  CrawlerCrawlView,
  MarketplaceCredentialsView,
  MarketplaceStatusView,
  RankingKeywordCrawlHealth,
  RankingKeywordView,
  RankingLatestView,
  RankingProductKeyword,
  ReportingPriceHistoryView,
} from '@shelfwatch/contracts';

/** How a marketplace is doing for everyone (`GET /v1/marketplaces`, `status`). */
export type MarketplaceStatus = MarketplaceStatusView;

/** Which credentials the tenant's crawls of a marketplace use (never the credentials themselves). */
export type MarketplaceCredentials = MarketplaceCredentialsView;

/** One marketplace as `GET /v1/marketplaces` lists it. */
export type MarketplaceView = Schemas['Marketplaces']['items'][number];

/** The answer of `PUT /v1/marketplaces/:marketplace/credentials`. */
export type CredentialsStored = Schemas['CredentialsStored'];

/** The tenant's plan (`GET /v1/tenant`). */
export type TenantPlan = Schemas['Plan'];

/** Today's use of one marketplace's daily budget by the tenant. */
export type TenantUsage = NonNullable<Schemas['OwnTenant']['usage']>[number];

/** `GET /v1/tenant`: `plan` and `usage` are null while the service that owns them does not answer. */
export type TenantView = Schemas['OwnTenant'];

/** Whether a keyword's scheduled crawls keep failing. */
export type CrawlHealth = RankingKeywordCrawlHealth;

/** What issue 15 adds to keyword views (absent on an older gateway). */
export interface KeywordManagement {
  paused?: boolean;
  crawlHealth?: CrawlHealth;
}

/** A keyword of `GET /v1/keywords` and `PATCH /v1/keywords/:id`. */
export type KeywordView = RankingKeywordView & KeywordManagement;

/** Where "my price" came from: seen on the shelf (at `observedMall`) or the catalogue price of the product. */
export type PriceSource = 'observed' | 'catalog';

/** The price figures of a standing or a price point. */
export interface PriceFigures {
  myPrice: number | null;
  priceSource?: PriceSource;
  observedMall?: string | null;
  /** The catalogue price at that crawl (standings); when absent, the product's current price stands in. */
  catalogPrice?: number | null;
}

/** A product's keyword row, with the issue 15 additions when the gateway has them. */
export type ProductKeyword = RankingProductKeyword & KeywordManagement & Partial<PriceFigures>;

/** A crawl, with its attempts when the gateway retries crawls. */
export type CrawlView = Omit<CrawlerCrawlView, 'attempts' | 'nextAttemptAt'> & {
  attempts?: number;
  nextAttemptAt?: string | null;
};

type Latest = RankingLatestView;

/** A standing of `rankings/latest`: my price may be unknown and says where it came from. */
export type LatestStanding = Omit<Latest['standings'][number], 'myPrice'> & PriceFigures;

/** A listing of `rankings/latest`: a competitor without a price has `price: null`. */
export type LatestEntry = Omit<Latest['entries'][number], 'price'> & { price: number | null };

/** `GET /v1/keywords/:id/rankings/latest` with the issue 15 price figures. */
export type LatestView = Omit<Latest, 'standings' | 'entries'> & {
  standings: LatestStanding[];
  entries: LatestEntry[];
};

/** A point of the price history with the issue 15 price figures. */
export type PricePoint = Omit<ReportingPriceHistoryView['points'][number], 'myPrice'> & PriceFigures;

/**
 * `GET /v1/reports/price-history` with the issue 15 price figures, and its currency when the reporting has it (issue
 * 16: a product's history is in the product's currency, which stands in until then).
 */
export type PriceHistoryView = Omit<ReportingPriceHistoryView, 'points'> & { points: PricePoint[]; currency?: string };
