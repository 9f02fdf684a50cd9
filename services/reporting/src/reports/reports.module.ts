import { DynamicModule, Module } from '@nestjs/common';
import { PurgeGuardModule } from '@shelfwatch/platform';
import { CacheVersionsStore } from '../cache/cache-versions.store';
import { ReportCacheOptions } from '../cache/report-cache';
import { ProjectionsHandler } from '../projections/projections.handler';
import { Projector } from '../projections/projector';
import { PurgeWatermarksStore } from '../retention/purge-watermarks.store';
import { ReportingRetentionHandler } from '../retention/reporting-retention.handler';
import { ReportsHandler } from './reports.handler';
import { ReportsService } from './reports.service';
import { REPORT_CACHE_OPTIONS } from './reports.tokens';

/** Projections (events in) and reports (queries out) over the reporting's read models. */
@Module({})
export class ReportsModule {
  static forCache(cache: ReportCacheOptions, purgeFloorDays: number): DynamicModule {
    return {
      module: ReportsModule,
      imports: [PurgeGuardModule.forService({ service: 'reporting', floorDays: purgeFloorDays })],
      controllers: [ReportsHandler, ProjectionsHandler, ReportingRetentionHandler],
      providers: [
        { provide: REPORT_CACHE_OPTIONS, useValue: cache },
        CacheVersionsStore,
        PurgeWatermarksStore,
        Projector,
        ReportsService,
      ],
    };
  }
}
