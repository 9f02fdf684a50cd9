import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { CrawlerConfig } from './crawler.config';
import { CrawlsModule } from './crawls/crawls.module';
import { CrawlerRetentionModule } from './retention/crawler-retention.module';
import { crawlerManifest } from './crawler.manifest';
import { crawlerPersistence } from './crawler.persistence';

/** The crawler application: the shared service core plus the crawler's feature modules. */
@Module({})
export class CrawlerAppModule {
  static forConfig(config: CrawlerConfig, logger: Logger): DynamicModule {
    return {
      module: CrawlerAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: crawlerPersistence,
          handles: crawlerManifest.handles,
          logger,
        }),
        CrawlsModule.forConfig(config, logger),
        CrawlerRetentionModule.forFloor(config.retentionMinDays),
      ],
    };
  }
}
