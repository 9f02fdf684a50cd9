import { ConfigOf, Env, commonSpec, loadConfig } from '@shelfwatch/config';

// The CLIs read the same variables as the services, with the same defaults and checks.
const { nodeEnv, natsUrl, databaseUrl, namespace, logLevel } = commonSpec('gateway');
const cliSpec = { nodeEnv, natsUrl, databaseUrl, namespace, logLevel };

/** What `migrate`, `provision` and `start` need from the environment. */
export type CliConfig = ConfigOf<typeof cliSpec>;

/** Parses the CLI configuration; throws `ConfigError` naming every bad variable. */
export function loadCliConfig(env: Env): CliConfig {
  return loadConfig('cli', cliSpec, env);
}
