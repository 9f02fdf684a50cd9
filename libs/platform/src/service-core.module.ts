import { DynamicModule, Module } from '@nestjs/common';
import { CommonConfig, ServiceName, natsCredentials, shouldProvisionOnStart } from '@shelfwatch/config';
import { EventType } from '@shelfwatch/contracts';
import { EventConsumerOptions, MessagingModule } from '@shelfwatch/messaging';
import { LoggingModule, MetricsModule } from '@shelfwatch/observability';
import { PersistenceModule, ServicePersistence, serviceDatabaseUrl } from '@shelfwatch/persistence';
import { Logger } from 'pino';
import { HealthModule } from './health/health.module';
import { HeartbeatModule } from './heartbeat/heartbeat.module';
import { SERVICE_LOGGER } from './service-logger';

/** What every service is built on. */
export interface ServiceCoreOptions {
  config: CommonConfig & { readonly service: ServiceName };
  persistence: ServicePersistence;
  /** Event types the service handles (its manifest); each needs one `@EventPattern` method. */
  handles: EventType[];
  /** Logger of code outside Nest's DI (consumers, relay). */
  logger: Logger;
  /** Time between two heartbeats of this instance (default 5 s); see `HeartbeatModule`. */
  heartbeatIntervalMs?: number;
  /** Consumer tuning, e.g. `batchSize` for projections that apply many events per transaction. */
  consumer?: Partial<EventConsumerOptions>;
  /** Path prefixes whose requests the service logs itself (see `RequestLogConfig`): the gateway's `/v1`. */
  selfLoggedPrefixes?: readonly string[];
  /** Serve `/metrics` on this internal port instead of the app's port (the gateway's is public). */
  metricsPort?: number;
}

/**
 * The infrastructure of a service: JSON logging, its MikroORM (as its own role in development), its
 * messaging (schema = service name; streams declared at start when `shouldProvisionOnStart`), `/metrics`
 * the health probes and the instance heartbeat. Global, so feature modules inject `EntityManager`, `OutboxWriter`, probes directly.
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
        LoggingModule.forRoot({
          service,
          level: config.logLevel,
          selfLoggedPrefixes: options.selfLoggedPrefixes,
        }),
        PersistenceModule.forService(persistence, serviceDatabaseUrl(service, config)),
        MessagingModule.forService({
          service,
          schema: service,
          natsUrl: config.natsUrl.value.reveal(),
          natsCredentials: natsCredentials(service, config),
          namespace: config.namespace,
          provisionStreams: shouldProvisionOnStart(config),
          handles,
          logger,
          consumer: {
            handlerTimeoutMs: config.consumerHandlerTimeoutMs,
            redeliveryBaseMs: config.consumerRedeliveryBaseMs,
            maxRedeliveryDelayMs: config.consumerMaxRedeliveryDelayMs,
            maxUnclassifiedFailures: config.consumerMaxUnclassifiedFailures,
            ...options.consumer,
          },
          inbox: { retainMs: config.inboxRetainHours * 3_600_000 },
        }),
        options.metricsPort === undefined ? MetricsModule : MetricsModule.onPort(options.metricsPort),
        HealthModule,
        HeartbeatModule.forService(service, options.heartbeatIntervalMs),
      ],
      providers: [{ provide: SERVICE_LOGGER, useValue: logger }],
      exports: [HealthModule, HeartbeatModule, SERVICE_LOGGER],
    };
  }
}
