import { DynamicModule, Module } from '@nestjs/common';
import { Secret } from '@shelfwatch/config';
import { HeartbeatPublisher } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { CrawlerConfig } from '../crawler.config';
import { MarketplaceClient } from '../marketplaces/marketplace-client';
import { NaverShoppingAdapter } from '../marketplaces/naver/naver.adapter';
import { ScheduleProjection } from '../schedule/schedule.projection';
import { ScheduleStore } from '../schedule/schedule.store';
import { CrawlRequestsHandler } from './crawl-requests.handler';
import { CRAWL_LOOP_OPTIONS, CrawlLoops } from './crawl.loops';
import { CrawlService } from './crawl.service';
import { CrawlStore } from './crawl.store';
import { CRAWL_LIMITS, CrawlLimits, CrawlWorker, LEASE_OWNER } from './crawl.worker';
import { KEYWORD_CRAWLER } from './keyword-crawler.port';
import { MarketplaceKeywordCrawler } from './marketplace-keyword-crawler';

/** One Naver client per process: one connection pool, one breaker, one rate limit for every crawl. */
function naverClient(config: CrawlerConfig): MarketplaceClient {
  const adapter = new NaverShoppingAdapter({
    baseUrl: config.naverApiBaseUrl,
    // Missing credentials make every request fail as auth_failed, visibly, instead of refusing to boot.
    clientId: config.naverClientId?.value ?? new Secret(''),
    clientSecret: config.naverClientSecret?.value ?? new Secret(''),
  });
  return new MarketplaceClient(adapter, {
    requestTimeoutMs: config.naverRequestTimeoutMs,
    ratePerSecond: config.naverRatePerSecond,
    maxConcurrency: config.naverMaxConcurrency,
  });
}

function crawlLimits(config: CrawlerConfig): CrawlLimits {
  return {
    crawlTimeoutMs: config.crawlTimeoutMs,
    leaseMs: 60_000,
    retry: {
      baseMs: config.crawlRetryBaseMs,
      maxMs: Math.max(config.crawlRetryBaseMs, config.crawlRetryMaxMs),
      maxAttempts: config.crawlRetryMaxAttempts,
    },
  };
}

/** Schedules, runs and reports crawls. */
@Module({})
export class CrawlsModule {
  static forConfig(config: CrawlerConfig, logger: Logger): DynamicModule {
    return {
      module: CrawlsModule,
      providers: [
        CrawlStore,
        ScheduleStore,
        ScheduleProjection,
        CrawlService,
        CrawlWorker,
        CrawlLoops,
        CrawlRequestsHandler,
        {
          provide: KEYWORD_CRAWLER,
          useFactory: () =>
            new MarketplaceKeywordCrawler([naverClient(config)], {
              maxPages: config.crawlMaxPages,
              pageSize: config.crawlPageSize,
              stopWhenAllFound: config.crawlStopWhenAllFound,
            }),
        },
        { provide: CRAWL_LIMITS, useValue: crawlLimits(config) },
        {
          provide: LEASE_OWNER,
          useFactory: (heartbeat: HeartbeatPublisher) => heartbeat.instanceId,
          inject: [HeartbeatPublisher],
        },
        {
          provide: CRAWL_LOOP_OPTIONS,
          useValue: {
            workers: config.crawlWorkers,
            schedulerIntervalMs: config.crawlSchedulerIntervalMs,
            workerPollMs: 1_000,
            logger,
          },
        },
      ],
    };
  }
}
