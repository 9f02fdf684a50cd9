import { DynamicModule, Module } from '@nestjs/common';
import { PurgeGuardModule } from '@shelfwatch/platform';
import { CrawlerRetentionHandler } from './crawler-retention.handler';

/** The crawler's part of retention: purging finished crawl runs. */
@Module({})
export class CrawlerRetentionModule {
  /** `floorDays`: crawl runs younger than this are never purged, whatever a request says. */
  static forFloor(floorDays: number): DynamicModule {
    return {
      module: CrawlerRetentionModule,
      imports: [PurgeGuardModule.forService({ service: 'crawler', floorDays })],
      controllers: [CrawlerRetentionHandler],
    };
  }
}
