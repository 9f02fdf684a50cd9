import { ConfigSpec, Env, ServiceConfig, integer, loadServiceConfig, retentionFloorSpec } from '@shelfwatch/config';

/** Variables the ranking reads on top of the common ones (README.md, "Configuration"). */
export const rankingConfigSpec = {
  /** Platform floor of purges: ranking history younger than this many days is never purged. */
  ...retentionFloorSpec(),
  /** Products one tenant may track at once; creating one more answers `limit_exceeded` (HTTP 409). */
  maxProductsPerTenant: integer('RANKING_MAX_PRODUCTS_PER_TENANT', 1_000, 1, 1_000_000),
  /** Keywords one product may have. */
  maxKeywordsPerProduct: integer('RANKING_MAX_KEYWORDS_PER_PRODUCT', 50, 1, 10_000),
  /** Distinct keywords (each one crawled on its schedule) one tenant may track. */
  maxKeywordsPerTenant: integer('RANKING_MAX_KEYWORDS_PER_TENANT', 2_000, 1, 1_000_000),
  /** Crawls of a keyword that ended failed in a row (retried attempts not counted) before it shows as failing. */
  crawlFailingAfter: integer('CRAWL_FAILING_AFTER', 3, 1, 1_000),
  /**
   * Crawl events the ranking applies per transaction (docs/messaging.md, batch mode); 1 (the default): one per
   * transaction. Either way up to 8 transactions at once, a keyword's crawls one after another in the order they
   * arrive (the consumer's ordering key); batches showed no CPU saving in the crawl bench (docs/messaging.md).
   */
  rankingConsumerBatchSize: integer('RANKING_CONSUMER_BATCH_SIZE', 1, 1, 1_000),
} satisfies ConfigSpec;

/** The ranking's configuration, parsed once at boot. */
export type RankingConfig = ServiceConfig<typeof rankingConfigSpec>;

/** Parses the ranking's configuration; throws `ConfigError` naming every bad variable. */
export function loadRankingConfig(env: Env): RankingConfig {
  return loadServiceConfig('ranking', rankingConfigSpec, env);
}
