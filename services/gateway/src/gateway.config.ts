import { isIP } from 'node:net';
import {
  ConfigError,
  ConfigSpec,
  Env,
  GATEWAY_METRICS_PORT,
  ServiceConfig,
  Variable,
  integer,
  loadServiceConfig,
  requiredSecret,
  retentionCeilingSpec,
  secret,
  text,
} from '@shelfwatch/config';

/** A comma-separated list whose every item passes `isValid` (else `expected` explains the form); empty: none. */
function commaList(name: string, isValid: (item: string) => boolean, expected: string): Variable<string[]> {
  const raw = text(name, '');
  return {
    name,
    secret: false,
    parse(value, ctx) {
      const items = raw
        .parse(value, ctx)
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      for (const item of items) {
        if (!isValid(item)) {
          throw new Error(`must list ${expected}, got "${item}"`);
        }
      }
      return items;
    },
  };
}

/** An IP address, or a CIDR range like `10.0.0.0/8`. */
function isAddressOrRange(item: string): boolean {
  const [address = '', bits, ...rest] = item.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  return (
    family !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
  );
}

/** Browser origins allowed to call the API; empty: none. */
const originList = (name: string): Variable<string[]> =>
  commaList(name, (origin) => /^https?:\/\/[^/\s]+$/.test(origin), 'origins like https://app.example.com');

/** Proxies whose `X-Forwarded-For` is believed; empty: trust no proxy. */
const proxyList = (name: string): Variable<string[]> =>
  commaList(name, isAddressOrRange, 'IP addresses or CIDR ranges like 10.0.0.0/8');

/** Variables the gateway reads on top of the common ones (README.md, "Configuration"). */
export const gatewayConfigSpec = {
  /**
   * Operator key that can create tenants; generated (and printed once) outside production. In production at
   * least 32 characters, no placeholder word, no repeated pattern, and at least 100 bits by a character-frequency
   * estimate (`openssl rand -hex 24` scores about 180).
   */
  adminApiKey: requiredSecret('ADMIN_API_KEY', { generateInDev: true, strength: { minLength: 32, minBits: 100 } }),
  /** Browser origins allowed by CORS (comma-separated); none by default. */
  corsOrigins: originList('CORS_ORIGINS'),
  /**
   * Requests per tenant per minute, sustained (token bucket refill): shared by every replica when
   * `RATE_LIMIT_REDIS_URL` is set, per gateway instance otherwise.
   */
  rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
  /** Requests a tenant may send at once above the sustained rate (bucket size). */
  rateLimitBurst: integer('RATE_LIMIT_BURST', 100, 1, 100_000),
  /**
   * Redis holding the tenants' buckets, shared by every gateway replica (`redis://[:password@]host:6379[/db]`,
   * or `rediss://` for TLS; a secret, as it may carry a password). Unset: each replica limits on its own.
   */
  rateLimitRedisUrl: secret('RATE_LIMIT_REDIS_URL', { protocols: ['redis', 'rediss'] }),
  /** Longest wait for Redis's answer on a request; a later answer limits that request in this replica alone. */
  rateLimitRedisTimeoutMs: integer('RATE_LIMIT_REDIS_TIMEOUT_MS', 100, 5, 5_000),
  /**
   * While Redis is away each replica limits on its own to the limit divided by this (at least 1 request): set
   * it to the usual number of replicas (k8s: the autoscaler's minimum) so that together they stay near the limit.
   */
  rateLimitFallbackReplicas: integer('RATE_LIMIT_FALLBACK_REPLICAS', 1, 1, 1_000),
  /**
   * Requests without a valid key (missing, malformed, unknown, revoked: anything that would read the database)
   * per client address per minute, sustained, per gateway instance: with N replicas an address gets up to N
   * times this. Checked before any database lookup.
   */
  authFailuresPerMinute: integer('AUTH_FAILURES_PER_MINUTE', 30, 1, 100_000),
  /** Such requests an address may send at once (bucket size), per gateway instance. */
  authFailureBurst: integer('AUTH_FAILURE_BURST', 20, 1, 10_000),
  /**
   * Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client; empty (the default): the
   * client is the TCP peer and the header is ignored, so a caller cannot pick the address it is limited by.
   */
  trustedProxies: proxyList('TRUSTED_PROXIES'),
  /**
   * Internal port of `GET /metrics` (Prometheus). Never the public `PORT`: metrics reveal traffic, tenants'
   * activity and internals. 0 picks a free port (tests).
   */
  metricsPort: integer('METRICS_PORT', GATEWAY_METRICS_PORT, 0, 65_535),
  /**
   * Live API keys (not revoked, or still in a rotation's grace period) one tenant may hold; issuing one more
   * answers 409 `limit-exceeded`. A rotation replaces its key, so it is allowed at the limit.
   */
  maxApiKeysPerTenant: integer('GATEWAY_MAX_API_KEYS_PER_TENANT', 20, 1, 1_000),
  /** Largest accepted request body. */
  bodyLimitBytes: integer('BODY_LIMIT_BYTES', 64 * 1024, 1_024, 10 * 1024 * 1024),
  /** How long the gateway waits for a service's answer before answering 504. */
  downstreamTimeoutMs: integer('DOWNSTREAM_TIMEOUT_MS', 5_000, 50, 60_000),
  /**
   * How long a replica keeps the answer of a products page, a rank or a price history per tenant and question
   * (caching/answer-cache.ts); 0 computes every one. The tenant's own changes drop it at once: on every replica
   * when they share Redis (`RATE_LIMIT_REDIS_URL`), else on the replica that made them.
   */
  apiAnswerCacheTtlMs: integer('API_ANSWER_CACHE_TTL_MS', 1_000, 0, 60_000),
  /** An API request answered later than this is logged at warn (`slow request`); the others at debug only. */
  slowRequestMs: integer('SLOW_REQUEST_MS', 1_000, 1, 600_000),
  /** Warn and info lines the API request log writes a second per replica; the rest are counted (`suppressedLines`). */
  requestLogLinesPerSecond: integer('REQUEST_LOG_LINES_PER_SECOND', 50, 1, 100_000),
  /** How long an `Idempotency-Key` and its stored answer are kept. */
  idempotencyTtlHours: integer('IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30),
  /** Longest retention a tenant may choose: `PUT /v1/retention-policy` refuses more with 400. */
  ...retentionCeilingSpec(),
  /**
   * How long an `Idempotency-Key` whose request never finished (its gateway crashed) blocks a retry. Must be
   * longer than `DOWNSTREAM_TIMEOUT_MS`, so a request still running is never run a second time.
   */
  idempotencyInFlightSeconds: integer('IDEMPOTENCY_IN_FLIGHT_SECONDS', 30, 1, 3_600),
} satisfies ConfigSpec;

/** The gateway's configuration, parsed once at boot. */
export type GatewayConfig = ServiceConfig<typeof gatewayConfigSpec>;

/** Parses the gateway's configuration; throws `ConfigError` naming every bad variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const config = loadServiceConfig('gateway', gatewayConfigSpec, env);
  if (config.idempotencyInFlightSeconds * 1_000 <= config.downstreamTimeoutMs) {
    throw new ConfigError('gateway', [
      {
        variable: 'IDEMPOTENCY_IN_FLIGHT_SECONDS',
        message: `must be longer than DOWNSTREAM_TIMEOUT_MS (${config.downstreamTimeoutMs} ms)`,
      },
    ]);
  }
  return config;
}
