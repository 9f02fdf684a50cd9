import { MikroORM } from '@mikro-orm/postgresql';
import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, Clock, NatsLink, Topology } from '@shelfwatch/messaging';
import { HeartbeatPublisher } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { BudgetStore } from '../budget/budget.store';
import { SharedQuotaSource } from '../budget/shared-quota-source';
import { SharedRequestBudget } from '../budget/shared-request-budget';
import { TenantUsageReader } from '../budget/tenant-usage';
import { TenantUsageHandler } from '../budget/tenant-usage.handler';
import { CrawlerConfig } from '../crawler.config';
import { crawlerManifest } from '../crawler.manifest';
import { MarketplaceClient } from '../marketplaces/marketplace-client';
import { CredentialCipher } from '../credentials/credential-cipher';
import { CredentialRotation } from '../credentials/credential-rotation';
import { CredentialStore } from '../credentials/credential.store';
import { CredentialsHandler } from '../credentials/credentials.handler';
import { CredentialsService } from '../credentials/credentials.service';
import { TenantCredentialResolver } from '../credentials/tenant-credential-resolver';
import { MARKETPLACE_CLIENTS } from '../marketplaces/marketplace-clients';
import { CREDENTIAL_RESOLVER, CredentialResolver } from '../marketplaces/marketplace-credentials';
import { MARKETPLACE_QUOTA } from '../marketplaces/marketplace-quota';
import { MarketplaceDefinition, MarketplaceRegistry } from '../marketplaces/marketplace-registry';
import { REQUEST_BUDGET, RequestBudget } from '../marketplaces/request-budget';
import { ebayMarketplace } from '../marketplaces/ebay/ebay.marketplace';
import { naverMarketplace } from '../marketplaces/naver/naver.marketplace';
import { rakutenMarketplace } from '../marketplaces/rakuten/rakuten.marketplace';
import { marketplaceStatusProviders } from '../marketplaces/status/marketplace-status.providers';
import { MarketplaceStatusHandler } from '../marketplaces/status/marketplace-status.handler';
import { CRAWL_SCHEDULER_OPTIONS, CrawlScheduler } from '../schedule/crawl.scheduler';
import { ScheduleProjection } from '../schedule/schedule.projection';
import { ScheduleStore } from '../schedule/schedule.store';
import { CrawlRequestsHandler } from './crawl-requests.handler';
import { CRAWL_LOOP_OPTIONS, CrawlLoops } from './crawl.loops';
import { CrawlService } from './crawl.service';
import { CrawlStore } from './crawl.store';
import { CRAWL_LIMITS, CrawlLimits, CrawlWorker, LEASE_OWNER } from './crawl.worker';
import {
  BACKPRESSURE_OPTIONS,
  CONSUMER_LAG_READER,
  DownstreamBackpressure,
  JetStreamConsumerLag,
} from './downstream-backpressure';
import { KEYWORD_CRAWLER } from './keyword-crawler.port';
import { MarketplaceKeywordCrawler } from './marketplace-keyword-crawler';

/** One client per marketplace and process: one connection pool and one breaker; the budget is every replica's. */
function clientOf(definition: MarketplaceDefinition, budget: RequestBudget): MarketplaceClient {
  return new MarketplaceClient(definition.adapter, budget, {
    requestTimeoutMs: definition.limits.requestTimeoutMs,
    ...(definition.limits.breaker && {
      breaker: {
        volumeThreshold: definition.limits.breaker.volumeThreshold,
        resetTimeout: definition.limits.breaker.resetTimeoutMs,
      },
    }),
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
      controllers: [
        ScheduleProjection,
        CrawlRequestsHandler,
        TenantUsageHandler,
        CredentialsHandler,
        MarketplaceStatusHandler,
      ],
      providers: [
        CrawlStore,
        ScheduleStore,
        CrawlService,
        CrawlWorker,
        CrawlLoops,
        CrawlScheduler,
        DownstreamBackpressure,
        {
          provide: CONSUMER_LAG_READER,
          inject: [NatsLink, Topology],
          useFactory: (link: NatsLink, topology: Topology) => new JetStreamConsumerLag(link, topology),
        },
        {
          provide: BACKPRESSURE_OPTIONS,
          useValue: {
            watches: crawlerManifest.watches ?? [],
            maxPending: config.crawlBackpressureMaxPending,
            pollMs: config.crawlBackpressurePollMs,
            logger,
          },
        },
        BudgetStore,
        TenantUsageReader,
        ...marketplaceStatusProviders,
        // Missing platform credentials make every crawl fail as auth_failed, naming the variables.
        {
          provide: MarketplaceRegistry,
          useValue: new MarketplaceRegistry([
            naverMarketplace(config),
            ebayMarketplace(config),
            rakutenMarketplace(config),
          ]),
        },
        {
          provide: REQUEST_BUDGET,
          inject: [MikroORM, BudgetStore, MarketplaceRegistry],
          useFactory: (orm: MikroORM, store: BudgetStore, registry: MarketplaceRegistry) =>
            new SharedRequestBudget(orm, store, registry),
        },
        {
          provide: MARKETPLACE_CLIENTS,
          inject: [MarketplaceRegistry, REQUEST_BUDGET],
          useFactory: (registry: MarketplaceRegistry, budget: RequestBudget) =>
            new Map(registry.list().map((definition) => [definition.id, clientOf(definition, budget)])),
        },
        // A tenant's own credentials when it stored some, else the platform's.
        CredentialStore,
        CredentialsService,
        CredentialsHandler,
        CredentialRotation,
        { provide: CredentialCipher, useValue: new CredentialCipher(config.credentialKeys) },
        {
          provide: CREDENTIAL_RESOLVER,
          inject: [MarketplaceRegistry, CredentialStore, CredentialCipher, CLOCK],
          useFactory: (registry: MarketplaceRegistry, store: CredentialStore, cipher: CredentialCipher, clock: Clock) =>
            new TenantCredentialResolver(registry, store, cipher, clock),
        },
        {
          provide: MARKETPLACE_QUOTA,
          inject: [MikroORM, BudgetStore, MarketplaceRegistry],
          useFactory: (orm: MikroORM, store: BudgetStore, registry: MarketplaceRegistry) =>
            new SharedQuotaSource(orm, store, registry),
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
        { provide: CRAWL_LIMITS, useValue: crawlLimits(config) },
        {
          provide: LEASE_OWNER,
          useFactory: (heartbeat: HeartbeatPublisher) => heartbeat.instanceId,
          inject: [HeartbeatPublisher],
        },
        {
          provide: CRAWL_LOOP_OPTIONS,
          useValue: { workers: config.crawlWorkers, workerPollMs: 1_000, logger },
        },
        {
          provide: CRAWL_SCHEDULER_OPTIONS,
          useValue: { intervalMs: config.crawlSchedulerIntervalMs, logger },
        },
      ],
    };
  }
}
