import {
  ConfigSpec,
  Env,
  ServiceConfig,
  Variable,
  bool,
  integer,
  loadServiceConfig,
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

/** Variables the alerting reads on top of the common ones (DESIGN.md §Ports and environment). */
export const alertingConfigSpec = {
  /** Allow webhook URLs on loopback addresses (127.0.0.0/8, ::1, localhost); default false. */
  webhookAllowLoopback: allowLoopback(),
  /** Key that seals webhook signing secrets at rest (AES-256-GCM); required in production. */
  webhookSecretKey: requiredSecret('ALERTING_WEBHOOK_SECRET_KEY', {
    devDefault: 'shelfwatch-development-webhook-secret-key',
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
} satisfies ConfigSpec;

/** The alerting's configuration, parsed once at boot. */
export type AlertingConfig = ServiceConfig<typeof alertingConfigSpec>;

/** Parses the alerting's configuration; throws `ConfigError` naming every bad variable. */
export function loadAlertingConfig(env: Env): AlertingConfig {
  return loadServiceConfig('alerting', alertingConfigSpec, env);
}
