import {
  ConfigOf,
  Env,
  ServiceName,
  Variable,
  commonSpec,
  integer,
  loadConfig,
  requiredSecret,
  url,
} from '@shelfwatch/config';

// The CLIs read the same variables as the services, with the same defaults and checks.
const { nodeEnv, natsUrl, natsUser, natsPassword, databaseUrl, namespace, logLevel } = commonSpec('gateway');
const cliSpec = {
  nodeEnv,
  natsUrl,
  databaseUrl,
  namespace,
  logLevel,
  /** Replicas of every stream `provision` declares: 3 on a clustered JetStream, 1 on a single server. */
  jetstreamReplicas: integer('JETSTREAM_REPLICAS', 1, 1, 5),
};

/** What `migrate` and `start` need from the environment. */
export type CliConfig = ConfigOf<typeof cliSpec>;

/** Parses the CLI configuration; throws `ConfigError` naming every bad variable. */
export function loadCliConfig(env: Env): CliConfig {
  return loadConfig('cli', cliSpec, env);
}

const { databaseUrl: _databaseUrl, ...cliWithoutDatabase } = cliSpec;
const provisionSpec = {
  ...cliWithoutDatabase,
  /** `provision` connects as the `provisioner` NATS user (deploy/nats/auth.conf); required in production. */
  natsUser,
  natsPassword,
};

/** What `provision` needs: NATS only (a Kubernetes Job's provisioning container has no database secret). */
export type ProvisionConfig = ConfigOf<typeof provisionSpec>;

/** Parses the provisioning configuration; throws `ConfigError` naming every bad variable. */
export function loadProvisionConfig(env: Env): ProvisionConfig {
  return loadConfig('provision', provisionSpec, env);
}

/** What `wait-for-setup <service>` reads: that service's own database role and NATS user, as the service does. */
export function loadWaitForSetupConfig(service: ServiceName, env: Env) {
  const { nodeEnv, natsUrl, natsUser, natsPassword, databaseUrl, namespace } = commonSpec(service);
  const spec = {
    nodeEnv,
    natsUrl,
    natsUser,
    natsPassword,
    databaseUrl,
    namespace,
    /** How long to wait for the migration Job before exiting 1 (the kubelet then starts the wait again). */
    timeoutMs: integer('WAIT_FOR_SETUP_TIMEOUT_MS', 600_000, 1_000, 3_600_000),
  };
  return loadConfig('wait-for-setup', spec, env);
}

/** The gateway's URL; in production only https, or http to this machine: the admin key must not cross a network in clear. */
function gatewayUrl(): Variable<string> {
  const base = url('SHELFWATCH_GATEWAY_URL', ['http', 'https'], 'http://127.0.0.1:3000');
  return {
    ...base,
    parse(raw, ctx) {
      const value = base.parse(raw, ctx);
      const { protocol, hostname } = new URL(value);
      if (ctx.production && protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
        throw new Error('must use https in production (it carries the admin key), or http to this machine');
      }
      return value;
    },
  };
}

const deadLettersSpec = {
  nodeEnv,
  /** Where `dead-letters` finds the gateway's admin API. */
  gatewayUrl: gatewayUrl(),
  /** The gateway's operator key (`npm start` prints it and keeps it in `START_DATA_DIR`/admin-api-key). */
  adminApiKey: requiredSecret('ADMIN_API_KEY', {}),
};

/** What `dead-letters` needs: the gateway and the admin key; no NATS or database credentials. */
export type DeadLettersConfig = ConfigOf<typeof deadLettersSpec>;

/** Parses the `dead-letters` configuration; throws `ConfigError` naming every bad variable. */
export function loadDeadLettersConfig(env: Env): DeadLettersConfig {
  return loadConfig('dead-letters', deadLettersSpec, env);
}
