import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { counter, gauge, histogram } from '@shelfwatch/observability';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { MARKETPLACE_QUOTA, MarketplaceQuotaSource } from '../marketplace-quota';
import { MarketplaceRegistry } from '../marketplace-registry';

/** Metric names, so tests and dashboards do not retype them. Labels are bounded: never a tenant or keyword. */
export const CRAWLER_METRICS = {
  crawls: 'shelfwatch_crawls_total',
  crawlDuration: 'shelfwatch_crawl_duration_seconds',
  marketplaceRequests: 'shelfwatch_marketplace_requests_total',
  quotaRemaining: 'shelfwatch_marketplace_quota_remaining_requests',
  quotaDaily: 'shelfwatch_marketplace_quota_daily_requests',
} as const;

/** Seconds a crawl may take, from claim to outcome (one page is well under a second; a deep crawl tens). */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** One finished crawl: `outcome` is `completed` or its failure code (a bounded set). */
export function recordCrawl(marketplace: string, outcome: string, seconds: number): void {
  counter(CRAWLER_METRICS.crawls, 'Crawls finished, by marketplace and outcome (completed or the failure code)', [
    'marketplace',
    'outcome',
  ]).inc({ marketplace, outcome });
  histogram(
    CRAWLER_METRICS.crawlDuration,
    'Duration of a crawl from claim to outcome, every page included',
    ['marketplace', 'outcome'],
    DURATION_BUCKETS,
  ).observe({ marketplace, outcome }, seconds);
}

/**
 * One request sent upstream: `status` is the HTTP status class (`2xx`, `4xx`, `5xx`) or, when no status came
 * back, `timeout` or `network`.
 */
export function recordMarketplaceRequest(marketplace: string, status: string): void {
  counter(
    CRAWLER_METRICS.marketplaceRequests,
    'Requests sent to a marketplace, retries included, by marketplace and status class',
    ['marketplace', 'status'],
  ).inc({ marketplace, status });
}

/** How often the quota gauge is read from `MARKETPLACE_QUOTA` (which may be shared by every replica). */
const QUOTA_REFRESH_MS = 15_000;

/** Keeps the quota gauges (remaining and daily, platform credentials only) current: at boot, then every {@link QUOTA_REFRESH_MS}. */
@Injectable()
export class MarketplaceQuotaGauge implements OnModuleInit, OnModuleDestroy {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly registry: MarketplaceRegistry,
    @Inject(MARKETPLACE_QUOTA) private readonly quota: MarketplaceQuotaSource,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.loop = new BackgroundLoop({
      name: 'marketplace quota refresh',
      intervalMs: QUOTA_REFRESH_MS,
      body: () => this.refresh(),
      logger: logger.child({ context: MarketplaceQuotaGauge.name }),
    });
  }

  onModuleInit(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** Reads every marketplace's quota; one that cannot be read keeps its last value. */
  async refresh(): Promise<void> {
    const remaining = gauge(
      CRAWLER_METRICS.quotaRemaining,
      "Requests the platform credentials may still send today, by marketplace (the daily quota's remainder)",
      ['marketplace'],
    );
    const daily = gauge(
      CRAWLER_METRICS.quotaDaily,
      'Requests the platform credentials may send per day, by marketplace (the daily quota)',
      ['marketplace'],
    );
    for (const { id } of this.registry.list()) {
      const quota = await this.quota.quota(id).catch(() => null);
      if (quota) {
        remaining.set({ marketplace: id }, Math.max(0, quota.dailyQuota - quota.requestsToday));
        daily.set({ marketplace: id }, quota.dailyQuota);
      }
    }
  }
}
