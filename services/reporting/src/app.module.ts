import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { ReportingConfig } from './reporting.config';
import { reportingManifest } from './reporting.manifest';
import { reportingPersistence } from './reporting.persistence';

/** The reporting application: the shared service core plus the reporting's feature modules. */
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
        }),
      ],
    };
  }
}
