import {
  ConfigError,
  ConfigSpec,
  Env,
  ServiceConfig,
  bool,
  integer,
  loadServiceConfig,
  retentionCeilingSpec,
} from '@shelfwatch/config';

const DAY_MS = 86_400_000;

/** Variables the retention reads on top of the common ones (README.md, "Configuration"). */
export const retentionConfigSpec = {
  /** Platform defaults, in days, for tenants that chose nothing else. */
  rankingRowsDays: integer('RETENTION_RANKING_ROWS_DAYS', 30, 1, 3_650),
  crawlRunsDays: integer('RETENTION_CRAWL_RUNS_DAYS', 30, 1, 3_650),
  alertsDays: integer('RETENTION_ALERTS_DAYS', 180, 1, 3_650),
  deliveryLogsDays: integer('RETENTION_DELIVERY_LOGS_DAYS', 30, 1, 3_650),
  /** Longest retention any policy may hold; stream max ages never exceed it. Each default must fit under it. */
  ...retentionCeilingSpec(),
  /** Turns the scheduled sweep off (RPCs still answer). */
  sweepEnabled: bool('RETENTION_SWEEP_ENABLED', true),
  /** One sweep per period of this length, across every replica (daily by default). */
  sweepIntervalMs: integer('RETENTION_SWEEP_INTERVAL_MS', DAY_MS, 1_000, 30 * DAY_MS),
  /** How often a replica checks whether the current period has had its sweep. */
  sweepCheckMs: integer('RETENTION_SWEEP_CHECK_MS', 60_000, 10, DAY_MS),
  /** Rows an owner deletes per statement, and its pause between two statements. */
  purgeBatchSize: integer('RETENTION_PURGE_BATCH_SIZE', 10_000, 1, 1_000_000),
  purgePauseMs: integer('RETENTION_PURGE_PAUSE_MS', 100, 0, 60_000),
  /** Keep the max_age of the CRAWL, RANKING and ALERT streams in line with the policies. */
  applyStreamAges: bool('RETENTION_APPLY_STREAM_AGES', true),
} satisfies ConfigSpec;

/** The retention's configuration, parsed once at boot. */
export type RetentionConfig = ServiceConfig<typeof retentionConfigSpec>;

/** Parses the retention's configuration; throws `ConfigError` naming every bad variable. */
export function loadRetentionConfig(env: Env): RetentionConfig {
  const config = loadServiceConfig('retention', retentionConfigSpec, env);
  const defaults = [
    ['RETENTION_RANKING_ROWS_DAYS', config.rankingRowsDays],
    ['RETENTION_CRAWL_RUNS_DAYS', config.crawlRunsDays],
    ['RETENTION_ALERTS_DAYS', config.alertsDays],
    ['RETENTION_DELIVERY_LOGS_DAYS', config.deliveryLogsDays],
  ] as const;
  const beyond = defaults.filter(([, days]) => days > config.retentionMaxDays);
  if (beyond.length > 0) {
    throw new ConfigError(
      'retention',
      beyond.map(([variable]) => ({
        variable,
        message: `must not exceed RETENTION_MAX_DAYS (${config.retentionMaxDays})`,
      })),
    );
  }
  return config;
}
