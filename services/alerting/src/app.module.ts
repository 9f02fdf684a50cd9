import { DynamicModule, Module } from '@nestjs/common';
import { keywordOrderingKey } from '@shelfwatch/contracts';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { AlertingConfig } from './alerting.config';
import { alertingManifest } from './alerting.manifest';
import { alertingPersistence } from './alerting.persistence';
import { AlertingModule, AlertingOverrides } from './alerting.module';

/** The alerting application: the shared service core plus the alerting's feature modules. */
@Module({})
export class AlertingAppModule {
  static forConfig(config: AlertingConfig, logger: Logger, overrides: AlertingOverrides = {}): DynamicModule {
    return {
      module: AlertingAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: alertingPersistence,
          handles: alertingManifest.handles,
          logger,
          // A keyword's recorded crawls are judged one after another, in the order they arrive.
          consumer: { orderingKey: keywordOrderingKey },
        }),
        AlertingModule.forConfig(config, logger, overrides),
      ],
    };
  }
}
