import { DynamicModule, Module } from '@nestjs/common';
import { keywordOrderingKey } from '@shelfwatch/contracts';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { CatalogModule } from './catalog/catalog.module';
import { CrawlHealthModule } from './crawl-health/crawl-health.module';
import { RankingConfig } from './ranking.config';
import { rankingManifest } from './ranking.manifest';
import { rankingPersistence } from './ranking.persistence';
import { RankingsModule } from './rankings/rankings.module';
import { RankingRetentionModule } from './retention/ranking-retention.module';

/** The ranking application: the shared service core plus the ranking's feature modules. */
@Module({})
export class RankingAppModule {
  static forConfig(config: RankingConfig, logger: Logger): DynamicModule {
    return {
      module: RankingAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: rankingPersistence,
          handles: rankingManifest.handles,
          logger,
          consumer: { batchSize: config.rankingConsumerBatchSize, orderingKey: keywordOrderingKey },
        }),
        CatalogModule.withLimits({
          productsPerTenant: config.maxProductsPerTenant,
          keywordsPerProduct: config.maxKeywordsPerProduct,
          keywordsPerTenant: config.maxKeywordsPerTenant,
        }),
        CrawlHealthModule.failingAfter(config.crawlFailingAfter),
        RankingsModule,
        RankingRetentionModule.forFloor(config.retentionMinDays),
      ],
    };
  }
}
