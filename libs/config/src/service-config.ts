import { ConfigOf, ConfigSpec, Env, loadConfig } from './load-config';
import { integer, oneOf, requiredSecret, text } from './variables';

/** The seven services of DESIGN.md. */
export const SERVICE_NAMES = ['gateway', 'crawler', 'ranking', 'alerting', 'reporting', 'retention', 'health'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default HTTP port of each service (DESIGN.md §Ports). */
export const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 3000,
  crawler: 3001,
  ranking: 3002,
  alerting: 3003,
  reporting: 3004,
  retention: 3005,
  health: 3006,
};

/**
 * Default internal port of the gateway's `GET /metrics` (`METRICS_PORT`): its HTTP port is public, so its
 * metrics are served apart; the other services serve them on their own (internal) port.
 */
export const GATEWAY_METRICS_PORT = 9464;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service reads (DESIGN.md §Environment). */
export function commonSpec(service: ServiceName) {
  return {
    nodeEnv: oneOf('NODE_ENV', ['development', 'test', 'production'], 'development'),
    port: integer('PORT', DEFAULT_PORTS[service], 0, 65_535),
    natsUrl: requiredSecret('NATS_URL', {
      devDefault: 'nats://127.0.0.1:4222',
      protocols: ['nats', 'tls', 'ws', 'wss'],
    }),
    databaseUrl: requiredSecret('DATABASE_URL', {
      devDefault: 'postgres://postgres@127.0.0.1:5432/shelfwatch',
      protocols: ['postgres', 'postgresql'],
    }),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    /** Prefix of every stream and subject; empty in a real deployment, unique per test run. */
    namespace: text('SHELFWATCH_NAMESPACE', ''),
    /** Upper bound for graceful shutdown: stop pulling, finish in-flight work, drain, close. */
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 8_000, 100, 120_000),
    /** Declare streams and consumers at start-up (development convenience; `npm run provision` in production). */
    provisionOnStart: oneOf('PROVISION_ON_START', ['auto', 'true', 'false'], 'auto'),
  } satisfies ConfigSpec;
}

export type CommonConfig = ConfigOf<ReturnType<typeof commonSpec>>;

/** A service's whole configuration: the common variables plus its own, plus its name. */
export type ServiceConfig<S extends ConfigSpec = Record<never, never>> = CommonConfig &
  ConfigOf<S> & { readonly service: ServiceName };

/**
 * Parses a service's configuration once at boot. Throws `ConfigError` naming every bad or missing
 * variable; in production no secret falls back to a default.
 */
export function loadServiceConfig<S extends ConfigSpec>(service: ServiceName, extra: S, env: Env): ServiceConfig<S> {
  const config = loadConfig(service, { ...commonSpec(service), ...extra }, env);
  return Object.freeze({ ...config, service }) as ServiceConfig<S>;
}

/** Whether streams and consumers should be declared at start-up under this configuration. */
export function shouldProvisionOnStart(config: CommonConfig): boolean {
  return config.provisionOnStart === 'auto' ? config.nodeEnv !== 'production' : config.provisionOnStart === 'true';
}
