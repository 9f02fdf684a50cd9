import { ConfigSpec, Env, ServiceConfig, integer, loadServiceConfig, text } from '@shelfwatch/config';

/** Variables the health reads on top of the common ones (README.md, "Configuration"). */
export const healthConfigSpec = {
  /** Services that must have a ready instance (comma-separated); one without is reported, degraded. */
  expectedServices: text('HEALTH_EXPECTED_SERVICES', 'gateway,crawler,ranking,alerting,reporting,retention'),
  /** The crawl interval freshness is judged by: the last crawl older than twice this is degraded. */
  crawlIntervalMinutes: integer('HEALTH_CRAWL_INTERVAL_MINUTES', 60, 1, 10_080),
  /** Messages a consumer may have pending (not yet delivered plus unacknowledged) before it counts as lagging. */
  lagThreshold: integer('HEALTH_LAG_THRESHOLD', 1_000, 1, 10_000_000),
  /** Longest any one check may take before it is reported down. */
  checkTimeoutMs: integer('HEALTH_CHECK_TIMEOUT_MS', 2_000, 100, 30_000),
} satisfies ConfigSpec;

/** The health's configuration, parsed once at boot. */
export type HealthConfig = ServiceConfig<typeof healthConfigSpec>;

/** Parses the health's configuration; throws `ConfigError` naming every bad variable. */
export function loadHealthConfig(env: Env): HealthConfig {
  return loadServiceConfig('health', healthConfigSpec, env);
}
