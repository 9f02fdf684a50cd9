import { DynamicModule, Module } from '@nestjs/common';
import { ServiceCoreModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { HealthDetailsModule } from './health-details/health-details.module';
import { HealthConfig } from './health.config';
import { healthManifest } from './health.manifest';
import { healthPersistence } from './health.persistence';

/** The health application: the shared service core plus the health's feature modules. */
@Module({})
export class HealthAppModule {
  static forConfig(config: HealthConfig, logger: Logger): DynamicModule {
    return {
      module: HealthAppModule,
      imports: [
        ServiceCoreModule.forService({
          config,
          persistence: healthPersistence,
          handles: healthManifest.handles,
          logger,
        }),
        HealthDetailsModule.forConfig(config),
        DeadLettersModule,
      ],
    };
  }
}
