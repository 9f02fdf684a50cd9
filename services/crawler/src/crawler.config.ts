import {
  ConfigError,
  ConfigSpec,
  Env,
  ServiceConfig,
  bool,
  integer,
  loadServiceConfig,
  retentionFloorSpec,
  secret,
  url,
  Variable,
} from '@shelfwatch/config';
import { credentialKeys } from './credentials/credential-keys';

/** An optional absolute http(s) URL: unset or empty gives null. */
function optionalUrl(name: string): Variable<string | null> {
  const parser = url(name, ['http', 'https']);
  return {
    name,
    secret: false,
    parse: (raw, ctx) => (raw === undefined || raw.trim() === '' ? null : parser.parse(raw, ctx)),
  };
}

/** Variables the crawler reads on top of the common ones (README.md, "Configuration"). */
export const crawlerConfigSpec = {
  /** Where the Naver adapter sends searches (the marketplace simulator under `npm start`). */
  naverApiBaseUrl: url('NAVER_API_BASE_URL', ['http', 'https'], 'https://openapi.naver.com'),
  naverClientId: secret('NAVER_CLIENT_ID'),
  naverClientSecret: secret('NAVER_CLIENT_SECRET'),
  /**
   * Master keys sealing tenants' own marketplace credentials (AES-256-GCM): `id:base64key,...`, the first seals,
   * all open; the crawler re-seals rows under the first key at boot. Required in production.
   */
  credentialKeys: credentialKeys('CRAWLER_CREDENTIALS_KEYS'),
  /** Requests per second and in flight towards Naver, for the whole deployment (shared by every replica). */
  naverRatePerSecond: integer('NAVER_RATE_PER_SECOND', 10, 1, 1_000),
  naverMaxConcurrency: integer('NAVER_MAX_CONCURRENCY', 4, 1, 100),
  naverRequestTimeoutMs: integer('NAVER_REQUEST_TIMEOUT_MS', 8_000, 100, 60_000),
  /**
   * Requests per day the platform credentials may send, all replicas together, shared among tenants by plan
   * weight (Naver's default is 25,000, reset at midnight in Seoul).
   */
  naverDailyQuota: integer('NAVER_DAILY_QUOTA', 25_000, 1, 100_000_000),
  /** Requests in the breaker's 30 s window before its failure rate is judged (it opens above 50% failures). */
  naverBreakerVolumeThreshold: integer('NAVER_BREAKER_VOLUME_THRESHOLD', 10, 1, 10_000),
  /** How long the Naver breaker stays open before one trial request is let through. */
  naverBreakerResetMs: integer('NAVER_BREAKER_RESET_MS', 30_000, 1_000, 600_000),
  /** Where the eBay adapter sends token requests and searches (the marketplace simulator under `npm start`). */
  ebayApiBaseUrl: url('EBAY_API_BASE_URL', ['http', 'https'], 'https://api.ebay.com'),
  /** The platform's eBay application keyset; without it, tenants bring their own (`PUT /v1/marketplaces/ebay/credentials`). */
  ebayClientId: secret('EBAY_CLIENT_ID'),
  ebayClientSecret: secret('EBAY_CLIENT_SECRET'),
  /** Requests per second and in flight towards eBay, for the whole deployment (eBay publishes no per-second limit). */
  ebayRatePerSecond: integer('EBAY_RATE_PER_SECOND', 5, 1, 1_000),
  ebayMaxConcurrency: integer('EBAY_MAX_CONCURRENCY', 2, 1, 100),
  /** One search (with its token request, when one is due) is aborted after this. */
  ebayRequestTimeoutMs: integer('EBAY_REQUEST_TIMEOUT_MS', 8_000, 100, 60_000),
  /** Browse calls per day of the platform keyset, all replicas together (a new application: 5,000, reset at 0h Pacific). */
  ebayDailyQuota: integer('EBAY_DAILY_QUOTA', 5_000, 1, 100_000_000),
  ebayBreakerVolumeThreshold: integer('EBAY_BREAKER_VOLUME_THRESHOLD', 10, 1, 10_000),
  ebayBreakerResetMs: integer('EBAY_BREAKER_RESET_MS', 30_000, 1_000, 600_000),
  /**
   * The Rakuten Item Search endpoint, whole (the marketplace simulator under `npm start`): the documented host, or
   * `https://openapi.rakuten.co.jp/ichibams/api/IchibaItem/Search/20220601` with an access key and a referer.
   */
  rakutenApiBaseUrl: url(
    'RAKUTEN_API_BASE_URL',
    ['http', 'https'],
    'https://app.rakuten.co.jp/services/api/IchibaItem/Search/20220601',
  ),
  /** The platform's Rakuten application id; without it, tenants bring theirs (`PUT /v1/marketplaces/rakuten/credentials`). */
  rakutenApplicationId: secret('RAKUTEN_APPLICATION_ID'),
  /** The access key the new host requires beside the application id; unset sends none (the documented host). */
  rakutenAccessKey: secret('RAKUTEN_ACCESS_KEY'),
  /** Sent as `Referer` (its origin as `Origin`): the new host checks them against the application's registered URL. */
  rakutenReferer: optionalUrl('RAKUTEN_REFERER'),
  /** Requests per second and in flight towards Rakuten, for the whole deployment (Rakuten allows 1 a second). */
  rakutenRatePerSecond: integer('RAKUTEN_RATE_PER_SECOND', 1, 1, 1_000),
  rakutenMaxConcurrency: integer('RAKUTEN_MAX_CONCURRENCY', 1, 1, 100),
  rakutenRequestTimeoutMs: integer('RAKUTEN_REQUEST_TIMEOUT_MS', 8_000, 100, 60_000),
  /**
   * Requests per day of the platform application id, all replicas together, reset at midnight in Tokyo. Rakuten
   * documents no daily limit: the default is what 1 a second allows in a day.
   */
  rakutenDailyQuota: integer('RAKUTEN_DAILY_QUOTA', 86_400, 1, 100_000_000),
  rakutenBreakerVolumeThreshold: integer('RAKUTEN_BREAKER_VOLUME_THRESHOLD', 10, 1, 10_000),
  rakutenBreakerResetMs: integer('RAKUTEN_BREAKER_RESET_MS', 30_000, 1_000, 600_000),
  /** Crawls this replica runs at once. */
  crawlWorkers: integer('CRAWL_WORKERS', 4, 1, 64),
  /** A whole crawl (every page) is aborted after this. */
  crawlTimeoutMs: integer('CRAWL_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
  /** Pages of `CRAWL_PAGE_SIZE` results crawled at most (Naver reaches rank 1,100 at most). */
  crawlMaxPages: integer('CRAWL_MAX_PAGES', 10, 1, 11),
  crawlPageSize: integer('CRAWL_PAGE_SIZE', 100, 10, 100),
  /** Stop paging once every tracked product of the keyword was found (saves quota). */
  crawlStopWhenAllFound: bool('CRAWL_STOP_WHEN_ALL_FOUND', true),
  /** How often due keywords are looked for. */
  crawlSchedulerIntervalMs: integer('CRAWL_SCHEDULER_INTERVAL_MS', 15_000, 100, 3_600_000),
  /**
   * Back-pressure: no crawl is claimed or scheduled while ranking's or alerting's consumer has more than this many
   * messages pending or unacknowledged; crawls resume once the largest lag is back to half of it. 0 turns it off.
   */
  crawlBackpressureMaxPending: integer('CRAWL_BACKPRESSURE_MAX_PENDING', 1_000, 0, 10_000_000),
  /** How often every replica reads those consumers' lag from JetStream. */
  crawlBackpressurePollMs: integer('CRAWL_BACKPRESSURE_POLL_MS', 2_000, 100, 600_000),
  /** Full-jitter exponential back-off of a retried crawl: the first wait is up to this, doubling per attempt. */
  crawlRetryBaseMs: integer('CRAWL_RETRY_BASE_MS', 15_000, 10, 3_600_000),
  /** Longest wait before a retry. */
  crawlRetryMaxMs: integer('CRAWL_RETRY_MAX_MS', 300_000, 10, 86_400_000),
  /** Attempts of one crawl that reach the marketplace, the first included (1: never retried); breaker refusals do not count. */
  crawlRetryMaxAttempts: integer('CRAWL_RETRY_MAX_ATTEMPTS', 5, 1, 50),
  /** Platform floor of purges: nothing younger than this many days is ever purged here. */
  ...retentionFloorSpec(),
} satisfies ConfigSpec;

/** The crawler's configuration, parsed once at boot. */
export type CrawlerConfig = ServiceConfig<typeof crawlerConfigSpec>;

/** Parses the crawler's configuration; throws `ConfigError` naming every bad variable. */
export function loadCrawlerConfig(env: Env): CrawlerConfig {
  const config = loadServiceConfig('crawler', crawlerConfigSpec, env);
  if (config.nodeEnv === 'production') {
    refuseHalfPair(['EBAY_CLIENT_ID', config.ebayClientId], ['EBAY_CLIENT_SECRET', config.ebayClientSecret]);
  }
  if (config.rakutenAccessKey !== null && config.rakutenApplicationId === null) {
    // The key alone sends nothing: every platform crawl of Rakuten would fail as auth_failed.
    throw new ConfigError('crawler', [
      { variable: 'RAKUTEN_APPLICATION_ID', message: 'is required when RAKUTEN_ACCESS_KEY is set' },
    ]);
  }
  const missing = [
    ...(config.naverClientId === null ? ['NAVER_CLIENT_ID'] : []),
    ...(config.naverClientSecret === null ? ['NAVER_CLIENT_SECRET'] : []),
  ];
  if (config.nodeEnv === 'production' && missing.length > 0 && isRealNaverApi(config.naverApiBaseUrl)) {
    // Every crawl would fail as auth_failed: refuse to start rather than look up and crawl nothing.
    throw new ConfigError(
      'crawler',
      missing.map((variable) => ({
        variable,
        message:
          'is required in production: Naver is enabled and needs platform credentials (NAVER_CLIENT_ID and ' +
          'NAVER_CLIENT_SECRET), unless NAVER_API_BASE_URL points at a simulator',
      })),
    );
  }
  return config;
}

/** The real Naver Open API (as opposed to the marketplace simulator). */
const REAL_NAVER_API_HOST = 'openapi.naver.com';

function isRealNaverApi(baseUrl: string): boolean {
  return new URL(baseUrl).hostname.toLowerCase() === REAL_NAVER_API_HOST;
}

/**
 * An optional marketplace (eBay) may run without platform credentials (tenants then bring theirs), but half a pair
 * is a deployment mistake: every platform crawl would fail as auth_failed.
 */
function refuseHalfPair(...pair: [variable: string, value: unknown][]): void {
  const missing = pair.filter(([, value]) => value === null).map(([variable]) => variable);
  if (missing.length === 1) {
    throw new ConfigError(
      'crawler',
      missing.map((variable) => ({
        variable,
        message: `is required in production when ${pair.map(([name]) => name).join(' or ')} is set (set both, or neither to leave the credentials to tenants)`,
      })),
    );
  }
}
