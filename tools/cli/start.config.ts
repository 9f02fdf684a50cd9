import {
  ConfigOf,
  Env,
  bool,
  commonSpec,
  integer,
  loadConfig,
  oneOf,
  optionalText,
  secret,
  text,
} from '@shelfwatch/config';

const { nodeEnv, namespace, logLevel } = commonSpec('gateway');

/**
 * What `npm start` reads. Unlike the services, it must tell an unset `DATABASE_URL` / `NATS_URL` from the
 * default: unset means "use what answers locally, or run one in `START_DATA_DIR`".
 */
const startSpec = {
  nodeEnv,
  namespace,
  logLevel,
  databaseUrl: secret('DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
  natsUrl: secret('NATS_URL', { protocols: ['nats', 'tls', 'ws', 'wss'] }),
  otlpEndpoint: optionalText('OTEL_EXPORTER_OTLP_ENDPOINT'),
  /** The Redis the gateway shares its rate limits through; unset: the one on `START_REDIS_PORT`, if it answers. */
  rateLimitRedisUrl: secret('RATE_LIMIT_REDIS_URL', { protocols: ['redis', 'rediss'] }),
  /** The operator key handed to the gateway; generated once and kept in the data directory when unset. */
  adminApiKey: secret('ADMIN_API_KEY'),
  /** Where the embedded Postgres, the local NATS and the demo tenant's key live. */
  dataDir: text('START_DATA_DIR', '.data'),
  /** Added to every service's and the simulator's port (two launchers on one machine, tests). */
  portOffset: integer('START_PORT_OFFSET', 0, 0, 50_000),
  /** Where a local Postgres is looked for, and where the embedded one listens, when DATABASE_URL is unset. */
  postgresPort: integer('START_POSTGRES_PORT', 5432, 1, 65_535),
  /** Where a local NATS is looked for, and where the launched one listens, when NATS_URL is unset. */
  natsPort: integer('START_NATS_PORT', 4222, 1, 65_535),
  /** Where a local Redis is looked for when RATE_LIMIT_REDIS_URL is unset (none is started: it is optional). */
  redisPort: integer('START_REDIS_PORT', 6379, 1, 65_535),
  /** Create (or reuse) the demo tenant with products and keywords, and crawl them once. */
  demo: bool('START_DEMO', true),
  /** `pretty`: one readable line per log record; `json`: the services' JSON lines as they are. */
  logFormat: oneOf('START_LOG_FORMAT', ['pretty', 'json'], 'pretty'),
  /** How long every service gets to become ready before the launcher gives up. */
  readyTimeoutMs: integer('START_READY_TIMEOUT_MS', 60_000, 1_000, 600_000),
  /** Where `nats-server` is when it is not on the PATH. */
  natsServerBin: optionalText('NATS_SERVER_BIN'),
  /** The PATH, to find `nats-server`. */
  path: text('PATH', ''),
};

/** The launcher's configuration, parsed once. */
export type StartConfig = ConfigOf<typeof startSpec>;

/** Parses the launcher's configuration; throws `ConfigError` naming every bad variable. */
export function loadStartConfig(env: Env): StartConfig {
  return loadConfig('start', startSpec, env);
}
