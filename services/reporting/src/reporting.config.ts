import { ConfigSpec, Env, ServiceConfig, integer, loadServiceConfig, retentionFloorSpec } from '@shelfwatch/config';

/** Variables the reporting reads on top of the common ones (README.md, "Configuration"). */
export const reportingConfigSpec = {
  /** How long a cached dashboard or brand-share answer may be served (also bounds the 24 h window's drift). */
  reportingCacheTtlMs: integer('REPORTING_CACHE_TTL_MS', 30_000, 0, 3_600_000),
  /** Answers each cache of a replica holds at most (least recently used go first). */
  reportingCacheMaxEntries: integer('REPORTING_CACHE_MAX_ENTRIES', 5_000, 1, 1_000_000),
  /** Events a projection consumer applies per transaction (docs/messaging.md, batch mode). */
  reportingConsumerBatchSize: integer('REPORTING_CONSUMER_BATCH_SIZE', 64, 1, 1_000),
  /**
   * Batches of different keywords a projection consumer applies at once (`reportingOrderingKey`): two overlap the
   * service's work on one with Postgres's on the other; more only make smaller batches (docs/reporting.md).
   */
  reportingConsumerInFlight: integer('REPORTING_CONSUMER_IN_FLIGHT', 2, 1, 32),
  /** Platform floor of purges: nothing younger than this many days is ever purged here. */
  ...retentionFloorSpec(),
} satisfies ConfigSpec;

/** The reporting's configuration, parsed once at boot. */
export type ReportingConfig = ServiceConfig<typeof reportingConfigSpec>;

/** Parses the reporting's configuration; throws `ConfigError` naming every bad variable. */
export function loadReportingConfig(env: Env): ReportingConfig {
  return loadServiceConfig('reporting', reportingConfigSpec, env);
}
