import { RetentionConfig } from './retention.config';
import { RetentionDefaults } from './policies/retention-policy';

/** The platform's default retention per data kind (from the configuration). */
export const RETENTION_DEFAULTS = Symbol('RETENTION_DEFAULTS');
/** The platform maximum of any policy, in days (from the configuration). */
export const RETENTION_MAX_DAYS = Symbol('RETENTION_MAX_DAYS');
/** How sweeps run (from the configuration). */
export const SWEEP_OPTIONS = Symbol('SWEEP_OPTIONS');

/** What the sweep scheduler needs to know. */
export interface SweepOptions {
  enabled: boolean;
  intervalMs: number;
  checkMs: number;
  batchSize: number;
  pauseMs: number;
  applyStreamAges: boolean;
}

export function retentionDefaults(config: RetentionConfig): RetentionDefaults {
  return {
    ranking_rows: config.rankingRowsDays,
    crawl_runs: config.crawlRunsDays,
    alerts: config.alertsDays,
    delivery_logs: config.deliveryLogsDays,
  };
}

export function sweepOptions(config: RetentionConfig): SweepOptions {
  return {
    enabled: config.sweepEnabled,
    intervalMs: config.sweepIntervalMs,
    checkMs: config.sweepCheckMs,
    batchSize: config.purgeBatchSize,
    pauseMs: config.purgePauseMs,
    applyStreamAges: config.applyStreamAges,
  };
}
