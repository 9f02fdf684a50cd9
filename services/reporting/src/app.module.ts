import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { ReportingConfig } from './reporting.config';
import { reportingManifest } from './reporting.manifest';
import { reportingPersistence } from './reporting.persistence';
import { ReportsModule } from './reports/reports.module';
import { reportingOrderingKey } from './projections/reporting-events';

/** The reporting application: the shared service core (projection consumers in batch mode) plus reports. */
@Module({})
export class ReportingAppModule {
  static forConfig(config: ReportingConfig, logger: Logger): DynamicModule {
    return {
      module: ReportingAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: reportingPersistence,
          handles: reportingManifest.handles,
          logger,
          consumer: {
            batchSize: config.reportingConsumerBatchSize,
            maxInFlight: config.reportingConsumerInFlight,
            orderingKey: reportingOrderingKey,
          },
        }),
        ReportsModule.forCache(
          { ttlMs: config.reportingCacheTtlMs, maxEntries: config.reportingCacheMaxEntries },
          config.retentionMinDays,
        ),
      ],
    };
  }
}
