import { DynamicModule, Module } from '@nestjs/common';
import { CommonConfig, ServiceName, shouldProvisionOnStart } from '@shelfwatch/config';
import { EventType } from '@shelfwatch/contracts';
import { MessagingModule } from '@shelfwatch/messaging';
import { LoggingModule, MetricsModule } from '@shelfwatch/observability';
import { PersistenceModule, ServicePersistence, serviceDatabaseUrl } from '@shelfwatch/persistence';
import { Logger } from 'pino';
import { HealthModule } from './health/health.module';

/** What every service is built on. */
export interface ServiceCoreOptions {
  config: CommonConfig & { readonly service: ServiceName };
  persistence: ServicePersistence;
  /** Event types the service handles (its manifest); each needs one `@OnEvent` method. */
  handles: EventType[];
  /** Logger of code outside Nest's DI (consumers, relay). */
  logger: Logger;
}

/**
 * The infrastructure of a service: JSON logging, its MikroORM (as its own role in development), its
 * messaging (schema = service name; streams declared at start when `shouldProvisionOnStart`), `/metrics`
 * and the health probes. Global, so feature modules inject `EntityManager`, `OutboxWriter`, probes directly.
 */
@Module({})
export class ServiceCoreModule {
  static forService(options: ServiceCoreOptions): DynamicModule {
    const { config, persistence, handles, logger } = options;
    const service = config.service;
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        LoggingModule.forRoot({ service, level: config.logLevel }),
        PersistenceModule.forService(persistence, serviceDatabaseUrl(service, config)),
        MessagingModule.forService({
          service,
          schema: service,
          natsUrl: config.natsUrl.value.reveal(),
          namespace: config.namespace,
          provisionStreams: shouldProvisionOnStart(config),
          handles,
          logger,
        }),
        MetricsModule,
        HealthModule,
      ],
      exports: [HealthModule],
    };
  }
}
