import {
  ConfigSpec,
  Env,
  ServiceConfig,
  Variable,
  bool,
  integer,
  loadServiceConfig,
  retentionFloorSpec,
  requiredSecret,
} from '@shelfwatch/config';

/** Loopback webhooks are a development and test convenience; production refuses to start with them. */
function allowLoopback(): Variable<boolean> {
  const base = bool('ALERTING_WEBHOOK_ALLOW_LOOPBACK', false);
  return {
    ...base,
    parse(raw, ctx) {
      const value = base.parse(raw, ctx);
      if (value && ctx.production) {
        throw new Error('must not be true in production');
      }
      return value;
    },
  };
}

/** What a webhook may use when `ALERTING_WEBHOOK_ALLOWED_PORTS` is unset: the web's ports. */
export const DEFAULT_WEBHOOK_PORTS: readonly number[] = [80, 443, 8080, 8443];

/**
 * Ports of infrastructure (SSH, SMTP, Docker, etcd, kubelet, NATS, Postgres, MySQL, Redis, Memcached,
 * Elasticsearch, MongoDB) that a production deployment must not open webhooks to, even by configuration.
 */
const INFRASTRUCTURE_PORTS = new Set([
  22, 25, 2375, 2376, 2379, 2380, 3306, 4222, 5432, 6222, 6379, 8222, 9200, 10250, 11211, 27017,
]);

/** A comma-separated list of ports (1-65535); production refuses infrastructure ports in it. */
function allowedPorts(): Variable<ReadonlySet<number>> {
  return {
    name: 'ALERTING_WEBHOOK_ALLOWED_PORTS',
    secret: false,
    parse(raw, ctx) {
      if (raw === undefined || raw.trim() === '') {
        return new Set(DEFAULT_WEBHOOK_PORTS);
      }
      const ports = raw.split(',').map((part) => part.trim());
      const invalid = ports.filter((port) => !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535);
      if (invalid.length > 0) {
        throw new Error(`must be a comma-separated list of ports from 1 to 65535, got "${raw}"`);
      }
      const values = new Set(ports.map(Number));
      const infrastructure = [...values].filter((port) => INFRASTRUCTURE_PORTS.has(port));
      if (ctx.production && infrastructure.length > 0) {
        throw new Error(`must not include infrastructure ports in production (${infrastructure.join(', ')})`);
      }
      return values;
    },
  };
}

/** Variables the alerting reads on top of the common ones (README.md, "Configuration"). */
export const alertingConfigSpec = {
  /** Allow webhook URLs on loopback addresses (127.0.0.0/8, ::1, localhost); default false. */
  webhookAllowLoopback: allowLoopback(),
  /** Ports webhook URLs may use; default 80, 443, 8080, 8443 (loopback URLs, when allowed, use any). */
  webhookAllowedPorts: allowedPorts(),
  /**
   * Key that seals webhook signing secrets at rest (AES-256-GCM); required in production, where the development
   * default and weak values (short, placeholder, repeated, predictable) are refused.
   */
  webhookSecretKey: requiredSecret('ALERTING_WEBHOOK_SECRET_KEY', {
    devDefault: 'shelfwatch-development-webhook-secret-key',
    strength: { minLength: 32, minBits: 100 },
  }),
  /** Webhook endpoints one tenant may register; one more answers `limit_exceeded` (HTTP 409). */
  maxWebhooksPerTenant: integer('ALERTING_MAX_WEBHOOKS_PER_TENANT', 10, 1, 1_000),
  /** One delivery attempt is abandoned after this without a response. */
  webhookTimeoutMs: integer('ALERTING_WEBHOOK_TIMEOUT_MS', 5_000, 100, 60_000),
  /** Attempts per delivery, the first included; then the delivery is marked failed. */
  webhookMaxAttempts: integer('ALERTING_WEBHOOK_MAX_ATTEMPTS', 8, 1, 20),
  /** Back-off before the second attempt, doubling after each failure up to the maximum. */
  webhookRetryBaseMs: integer('ALERTING_WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
  webhookRetryMaxMs: integer('ALERTING_WEBHOOK_RETRY_MAX_MS', 600_000, 10, 86_400_000),
  /** Deliveries this replica sends at once (a slow endpoint holds one worker, not all). */
  deliveryWorkers: integer('ALERTING_DELIVERY_WORKERS', 4, 1, 64),
  /** How long an idle delivery worker waits before looking for due deliveries again. */
  deliveryPollMs: integer('ALERTING_DELIVERY_POLL_MS', 1_000, 10, 60_000),
  /** Platform floor of purges: nothing younger than this many days is ever purged here. */
  ...retentionFloorSpec(),
} satisfies ConfigSpec;

/** The alerting's configuration, parsed once at boot. */
export type AlertingConfig = ServiceConfig<typeof alertingConfigSpec>;

/** Parses the alerting's configuration; throws `ConfigError` naming every bad variable. */
export function loadAlertingConfig(env: Env): AlertingConfig {
  return loadServiceConfig('alerting', alertingConfigSpec, env);
}
