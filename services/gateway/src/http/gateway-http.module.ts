import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { ADMIN_API_KEY, AUTH_THROTTLE, AuthService } from '../auth/auth.service';
import { KeyCache } from '../auth/key-cache';
import { AnswerCache } from '../caching/answer-cache';
import { LIVE_KEYS, MAX_API_KEYS, TenantsService } from '../auth/tenants.service';
import { TenantsStore } from '../auth/tenants.store';
import { DOWNSTREAM_TIMEOUT_MS, Downstream } from '../downstream/downstream';
import { GatewayConfig } from '../gateway.config';
import { IDEMPOTENCY_IN_FLIGHT_MS, IDEMPOTENCY_TTL_MS, IdempotencyStore } from '../idempotency/idempotency.store';
import { RETENTION_MAX_DAYS } from '../routes/retention.routes';
import { ApiRoutes } from './api-routes';
import { GatewayHttp, HTTP_EDGE_OPTIONS } from './gateway-http';
import { RouteRunner } from './route-runner';
import { TENANT_LIMITS_OPTIONS, TenantLimits } from '../limits/tenant-limits';

const PURGE_EVERY_MS = 60 * 60_000;

/** Deletes expired idempotency records an hour after start and an hour after each purge. */
@Injectable()
class IdempotencyPurger implements OnModuleInit, OnApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(store: IdempotencyStore, @Inject(HTTP_EDGE_OPTIONS) options: { logger: Logger }) {
    this.loop = new BackgroundLoop({
      name: 'idempotency purge',
      intervalMs: PURGE_EVERY_MS,
      body: () => store.purgeExpired().then(() => undefined),
      logger: options.logger,
      delayFirst: true,
    });
  }

  onModuleInit(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}

/** The REST edge: keys, limits, idempotency, the route table and its OpenAPI, on the service's Fastify. */
@Module({})
export class GatewayHttpModule {
  static forConfig(config: GatewayConfig, logger: Logger, version = '0.1.0'): DynamicModule {
    return {
      module: GatewayHttpModule,
      providers: [
        { provide: ADMIN_API_KEY, useValue: config.adminApiKey.value },
        { provide: LIVE_KEYS, useValue: config.nodeEnv === 'production' },
        { provide: MAX_API_KEYS, useValue: config.maxApiKeysPerTenant },
        { provide: DOWNSTREAM_TIMEOUT_MS, useValue: config.downstreamTimeoutMs },
        { provide: IDEMPOTENCY_TTL_MS, useValue: config.idempotencyTtlHours * 3_600_000 },
        { provide: RETENTION_MAX_DAYS, useValue: config.retentionMaxDays },
        { provide: IDEMPOTENCY_IN_FLIGHT_MS, useValue: config.idempotencyInFlightSeconds * 1_000 },
        { provide: TENANT_LIMITS_OPTIONS, useValue: { config, logger } },
        TenantLimits,
        { provide: AUTH_THROTTLE, inject: [TenantLimits], useFactory: (limits: TenantLimits) => limits.clientThrottle },
        {
          provide: HTTP_EDGE_OPTIONS,
          useValue: {
            corsOrigins: config.corsOrigins,
            bodyLimitBytes: config.bodyLimitBytes,
            slowRequestMs: config.slowRequestMs,
            requestLogLinesPerSecond: config.requestLogLinesPerSecond,
            logger,
            version,
          },
        },
        { provide: AnswerCache, useValue: new AnswerCache({ ttlMs: config.apiAnswerCacheTtlMs }) },
        {
          provide: KeyCache,
          inject: [TenantsStore],
          useFactory: (store: TenantsStore) => new KeyCache((lookup) => store.findKeyByLookup(lookup)),
        },
        TenantsStore,
        AuthService,
        TenantsService,
        IdempotencyStore,
        IdempotencyPurger,
        Downstream,
        RouteRunner,
        ApiRoutes,
        GatewayHttp,
      ],
    };
  }
}
