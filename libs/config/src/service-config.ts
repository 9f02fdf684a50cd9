import { consumerSpec } from './consumer-config';
import { ConfigError } from './config-error';
import { ConfigOf, ConfigSpec, Env, loadConfig } from './load-config';
import { Secret } from './secret';
import {
  SecretValue,
  integer,
  oneOf,
  productionPassword,
  requiredInProduction,
  requiredSecret,
  text,
} from './variables';

/** Shortest NATS password accepted in production. */
export const MIN_NATS_PASSWORD_LENGTH = 16;

/**
 * What a NATS password may be made of. nats-server reads each user's password from its environment
 * (`$NATS_PASSWORD_<USER>` in auth.conf) and parses the value as a configuration token: one starting with a digit
 * is read as a number (and refused), punctuation may end it early. A letter, then letters, digits, `_` or `-`.
 */
export const NATS_PASSWORD_SHAPE = {
  pattern: /^[A-Za-z][A-Za-z0-9_-]*$/,
  description: 'a letter, then letters, digits, _ or - (nats-server reads it as a configuration token)',
};

/** The seven services (docs/architecture.md, "Services and what each owns"). */
export const SERVICE_NAMES = ['gateway', 'crawler', 'ranking', 'alerting', 'reporting', 'retention', 'health'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default HTTP port of each service (docs/architecture.md, "Services and what each owns"). */
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

/** Variables every service reads (docs/architecture.md, "Environment and ports"; README.md, "Configuration"). */
export function commonSpec(service: ServiceName) {
  return {
    nodeEnv: oneOf('NODE_ENV', ['development', 'test', 'production'], 'development'),
    port: integer('PORT', DEFAULT_PORTS[service], 0, 65_535),
    natsUrl: requiredSecret('NATS_URL', {
      devDefault: 'nats://127.0.0.1:4222',
      protocols: ['nats', 'tls', 'ws', 'wss'],
    }),
    /**
     * The NATS user this process connects as, and its password (deploy/nats/auth.conf lists each service's user and
     * what it may publish and subscribe to). Required in production; unset elsewhere connects without credentials.
     */
    natsUser: requiredInProduction('NATS_USER'),
    natsPassword: productionPassword('NATS_PASSWORD', MIN_NATS_PASSWORD_LENGTH, NATS_PASSWORD_SHAPE),
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
    ...consumerSpec(),
  } satisfies ConfigSpec;
}

/**
 * The platform floor every owner of retained data enforces on purge requests (docs/retention-and-health.md, guards):
 * nothing younger than this many days is ever purged, whatever a request or a policy says. At least 1.
 */
export function retentionFloorSpec() {
  return { retentionMinDays: integer('RETENTION_MIN_DAYS', 1, 1, 3_650) } satisfies ConfigSpec;
}

/**
 * The platform maximum of any tenant's retention, in days (docs/retention-and-health.md, guards): the gateway refuses a
 * longer policy with 400, the retention service refuses it too and never sets a stream's max age above it.
 */
export function retentionCeilingSpec() {
  return { retentionMaxDays: integer('RETENTION_MAX_DAYS', 365, 1, 3_650) } satisfies ConfigSpec;
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
  const result = Object.freeze({ ...config, service }) as ServiceConfig<S>;
  // A user without a password (or the reverse) fails at boot, not at the first connection.
  natsCredentials(service, result);
  return result;
}

/** Whether streams and consumers should be declared at start-up under this configuration. */
export function shouldProvisionOnStart(config: CommonConfig): boolean {
  return config.provisionOnStart === 'auto' ? config.nodeEnv !== 'production' : config.provisionOnStart === 'true';
}

/** A NATS user and its password, as the client takes them. */
export interface NatsCredentials {
  user: string;
  password: Secret;
}

/**
 * The credentials to connect to NATS with, or null to connect without (development, tests). Throws `ConfigError`
 * when only one of `NATS_USER` and `NATS_PASSWORD` is set: a half-configured user is a mistake, not "no auth".
 */
export function natsCredentials(
  service: string,
  config: { natsUser: string | null; natsPassword: SecretValue | null },
): NatsCredentials | null {
  const { natsUser: user, natsPassword: password } = config;
  if (user !== null && password !== null) {
    return { user, password: password.value };
  }
  if (user === null && password === null) {
    return null;
  }
  const missing = user === null ? 'NATS_USER' : 'NATS_PASSWORD';
  const given = user === null ? 'NATS_PASSWORD' : 'NATS_USER';
  throw new ConfigError(service, [{ variable: missing, message: `is required when ${given} is set` }]);
}
