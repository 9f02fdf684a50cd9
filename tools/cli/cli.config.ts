import { ConfigOf, Env, commonSpec, integer, loadConfig } from '@shelfwatch/config';

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
