import { DynamicModule, Module } from '@nestjs/common';
import { CrawlHealthHandler } from './crawl-health.handler';
import { CRAWL_FAILING_AFTER, CrawlHealthService } from './crawl-health.service';
import { CrawlHealthStore } from './crawl-health.store';

/** Keyword crawl health: projected from crawl outcomes, shown on keyword views. Global: catalog and rankings use it. */
@Module({})
export class CrawlHealthModule {
  static failingAfter(crawls: number): DynamicModule {
    return {
      module: CrawlHealthModule,
      global: true,
      controllers: [CrawlHealthHandler],
      providers: [{ provide: CRAWL_FAILING_AFTER, useValue: crawls }, CrawlHealthStore, CrawlHealthService],
      exports: [CrawlHealthService],
    };
  }
}
