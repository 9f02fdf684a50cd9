import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { RetentionConfig } from './retention.config';
import { retentionManifest } from './retention.manifest';
import { RetentionModule } from './retention.module';
import { retentionPersistence } from './retention.persistence';

/** The retention application: the shared service core plus the retention's feature modules. */
@Module({})
export class RetentionAppModule {
  static forConfig(config: RetentionConfig, logger: Logger): DynamicModule {
    return {
      module: RetentionAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: retentionPersistence,
          handles: retentionManifest.handles,
          logger,
        }),
        RetentionModule.forConfig(config),
      ],
    };
  }
}
