import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { CrawlerConfig } from '../crawler.config';
import { MARKETPLACE_CLIENTS, MarketplaceClient } from '../marketplaces/marketplace-client';
import {
  CREDENTIAL_RESOLVER,
  CredentialResolver,
  PlatformCredentialResolver,
} from '../marketplaces/marketplace-credentials';
import { MARKETPLACE_QUOTA, ReplicaQuotaSource } from '../marketplaces/marketplace-quota';
import { MarketplaceDefinition, MarketplaceRegistry } from '../marketplaces/marketplace-registry';
import { naverMarketplace } from '../marketplaces/naver/naver.marketplace';
import { marketplaceStatusProviders } from '../marketplaces/status/marketplace-status.providers';
import { ScheduleProjection } from '../schedule/schedule.projection';
import { ScheduleStore } from '../schedule/schedule.store';
import { CrawlRequestsHandler } from './crawl-requests.handler';
import { CRAWL_LOOP_OPTIONS, CrawlLoops } from './crawl.loops';
import { CrawlService } from './crawl.service';
import { CrawlStore } from './crawl.store';
import { CRAWL_LIMITS, CrawlWorker } from './crawl.worker';
import { KEYWORD_CRAWLER } from './keyword-crawler.port';
import { MarketplaceKeywordCrawler } from './marketplace-keyword-crawler';

/** One client per marketplace and process: one connection pool, one breaker, one rate limit for every crawl. */
function clientOf(definition: MarketplaceDefinition): MarketplaceClient {
  return new MarketplaceClient(definition.adapter, {
    requestTimeoutMs: definition.limits.requestTimeoutMs,
    ratePerSecond: definition.limits.ratePerSecond,
    maxConcurrency: definition.limits.maxConcurrency,
    ...(definition.limits.breaker && {
      breaker: {
        volumeThreshold: definition.limits.breaker.volumeThreshold,
        resetTimeout: definition.limits.breaker.resetTimeoutMs,
      },
    }),
  });
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
        ...marketplaceStatusProviders,
        // Missing platform credentials make every crawl fail as auth_failed, naming the variables.
        { provide: MarketplaceRegistry, useValue: new MarketplaceRegistry([naverMarketplace(config)]) },
        {
          provide: MARKETPLACE_CLIENTS,
          inject: [MarketplaceRegistry],
          useFactory: (registry: MarketplaceRegistry) =>
            new Map(registry.list().map((definition) => [definition.id, clientOf(definition)])),
        },
        {
          provide: CREDENTIAL_RESOLVER,
          inject: [MarketplaceRegistry],
          useFactory: (registry: MarketplaceRegistry) => new PlatformCredentialResolver(registry),
        },
        {
          provide: MARKETPLACE_QUOTA,
          inject: [MarketplaceRegistry, MARKETPLACE_CLIENTS],
          useFactory: (registry: MarketplaceRegistry, clients: Map<string, MarketplaceClient>) =>
            new ReplicaQuotaSource(registry, clients),
        },
        {
          provide: KEYWORD_CRAWLER,
          inject: [MARKETPLACE_CLIENTS, CREDENTIAL_RESOLVER],
          useFactory: (clients: Map<string, MarketplaceClient>, credentials: CredentialResolver) =>
            new MarketplaceKeywordCrawler([...clients.values()], credentials, {
              maxPages: config.crawlMaxPages,
              pageSize: config.crawlPageSize,
              stopWhenAllFound: config.crawlStopWhenAllFound,
            }),
        },
        { provide: CRAWL_LIMITS, useValue: { crawlTimeoutMs: config.crawlTimeoutMs, leaseMs: 60_000 } },
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
