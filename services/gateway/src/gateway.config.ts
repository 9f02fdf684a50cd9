import {
  ConfigSpec,
  Env,
  ServiceConfig,
  Variable,
  integer,
  loadServiceConfig,
  requiredSecret,
  retentionCeilingSpec,
  text,
} from '@shelfwatch/config';

/** A comma-separated list of origins allowed to call the API from a browser; empty: none. */
function originList(name: string): Variable<string[]> {
  const raw = text(name, '');
  return {
    name,
    secret: false,
    parse(value, ctx) {
      const origins = raw
        .parse(value, ctx)
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== '');
      for (const origin of origins) {
        if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
          throw new Error(`must list origins like https://app.example.com, got "${origin}"`);
        }
      }
      return origins;
    },
  };
}

/** Variables the gateway reads on top of the common ones (DESIGN.md §Ports and environment). */
export const gatewayConfigSpec = {
  /** Operator key that can create tenants; generated (and printed once) outside production. */
  adminApiKey: requiredSecret('ADMIN_API_KEY', { generateInDev: true }),
  /** Browser origins allowed by CORS (comma-separated); none by default. */
  corsOrigins: originList('CORS_ORIGINS'),
  /** Requests per API key per minute, sustained (token bucket refill), per gateway instance. */
  rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
  /** Requests a key may send at once above the sustained rate (bucket size). */
  rateLimitBurst: integer('RATE_LIMIT_BURST', 100, 1, 100_000),
  /** Largest accepted request body. */
  bodyLimitBytes: integer('BODY_LIMIT_BYTES', 64 * 1024, 1_024, 10 * 1024 * 1024),
  /** How long the gateway waits for a service's answer before answering 504. */
  downstreamTimeoutMs: integer('DOWNSTREAM_TIMEOUT_MS', 5_000, 50, 60_000),
  /** How long an `Idempotency-Key` and its stored answer are kept. */
  idempotencyTtlHours: integer('IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 30),
  /** Longest retention a tenant may choose: `PUT /v1/retention-policy` refuses more with 400. */
  ...retentionCeilingSpec(),
} satisfies ConfigSpec;

/** The gateway's configuration, parsed once at boot. */
export type GatewayConfig = ServiceConfig<typeof gatewayConfigSpec>;

/** Parses the gateway's configuration; throws `ConfigError` naming every bad variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  return loadServiceConfig('gateway', gatewayConfigSpec, env);
}
