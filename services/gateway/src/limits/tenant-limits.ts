import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Logger } from 'pino';
import { GatewayConfig } from '../gateway.config';
import { RateLimiter, RequestLimiter } from './rate-limiter';
import { RedisBucketStore } from './redis-bucket.store';
import { SharedRateLimiter } from './shared-rate-limiter';

/** What the tenant limits are built from: the gateway's configuration and its logger. */
export const TENANT_LIMITS_OPTIONS = Symbol('TENANT_LIMITS_OPTIONS');

export interface TenantLimitsOptions {
  config: Pick<
    GatewayConfig,
    | 'rateLimitBurst'
    | 'rateLimitPerMinute'
    | 'authFailureBurst'
    | 'authFailuresPerMinute'
    | 'rateLimitRedisUrl'
    | 'rateLimitRedisTimeoutMs'
    | 'rateLimitFallbackReplicas'
    | 'namespace'
  >;
  logger: Logger;
}

/** While Redis is away, it is pinged at most this often. */
const PROBE_EVERY_MS = 1_000;
/** Longest wait for the first connection at boot; the gateway starts anyway (limiting alone) if Redis is late. */
const FIRST_CONNECTION_MS = 2_000;

/** The Redis key prefix of the buckets: the namespace keeps test runs (and deployments sharing a server) apart. */
export function bucketPrefix(namespace: string): string {
  return `${namespace === '' ? '' : `${namespace}:`}shelfwatch:ratelimit:`;
}

/**
 * The gateway's two limits: the per-tenant request limiter and the throttle of unauthenticated requests per client
 * address (`AUTH_FAILURE_BURST`, `AUTH_FAILURES_PER_MINUTE`). Both are shared by every replica through Redis when
 * `RATE_LIMIT_REDIS_URL` is set (a bounded wait per decision; each replica limiting alone while Redis is away), in
 * this process alone otherwise. Owns the Redis connection and closes it at shutdown.
 */
@Injectable()
export class TenantLimits implements OnModuleInit, OnApplicationShutdown {
  readonly limiter: RequestLimiter;
  /** The throttle of requests without a valid key, by client address (`AuthService`). */
  readonly clientThrottle: RequestLimiter;
  private readonly redis: Redis | null;

  constructor(@Inject(TENANT_LIMITS_OPTIONS) { config, logger }: TenantLimitsOptions) {
    const policy = { burst: config.rateLimitBurst, perMinute: config.rateLimitPerMinute };
    const throttle = { burst: config.authFailureBurst, perMinute: config.authFailuresPerMinute };
    if (!config.rateLimitRedisUrl) {
      this.redis = null;
      this.limiter = new RateLimiter(policy.burst, policy.perMinute);
      this.clientThrottle = new RateLimiter(throttle.burst, throttle.perMinute);
      return;
    }
    this.redis = new Redis(config.rateLimitRedisUrl.value.reveal(), {
      connectionName: 'shelfwatch-gateway-ratelimit',
      // A command while disconnected fails at once, a slow one after the timeout: never a queue of waiting requests.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: config.rateLimitRedisTimeoutMs,
      connectTimeout: 1_000,
      // Reconnect for ever, at most a second apart: the limits become shared again as soon as Redis is back.
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
      enableAutoPipelining: true,
    });
    // Connection errors are expected during an outage; the limiter logs the outage once.
    this.redis.on('error', () => undefined);
    const prefix = bucketPrefix(config.namespace);
    const shared = { fallbackReplicas: config.rateLimitFallbackReplicas, probeEveryMs: PROBE_EVERY_MS, logger };
    this.limiter = new SharedRateLimiter(new RedisBucketStore(this.redis, prefix), {
      ...shared,
      limit: 'tenant',
      policy,
    });
    this.clientThrottle = new SharedRateLimiter(new RedisBucketStore(this.redis, `${prefix}auth:`), {
      ...shared,
      limit: 'auth',
      policy: throttle,
    });
  }

  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') {
      return;
    }
    // Not events.once: it would reject on the first connection error, and a gateway starts without Redis.
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FIRST_CONNECTION_MS);
      redis.once('ready', resolve);
    });
    clearTimeout(timer);
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
