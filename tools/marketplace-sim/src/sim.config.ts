import { bool, ConfigOf, Env, integer, loadConfig, text } from '@shelfwatch/config';

const simSpec = {
  port: integer('SIM_PORT', 3100, 0, 65_535),
  host: text('SIM_HOST', '0.0.0.0'),
  seed: integer('SIM_SEED', 42, 0, 4_294_967_295),
  logRequests: bool('SIM_LOG_REQUESTS', false),
};

/** The simulator's environment: port, interface, catalogue seed, request logging. */
export type SimConfig = ConfigOf<typeof simSpec>;

/** Parses the simulator's variables; throws `ConfigError` naming every bad one. */
export function loadSimConfig(env: Env): SimConfig {
  return loadConfig('marketplace-sim', simSpec, env);
}
