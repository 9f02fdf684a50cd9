import { ConfigSpec, Env, ServiceConfig, loadServiceConfig } from '@shelfwatch/config';

/** Variables the health reads on top of the common ones (DESIGN.md §Ports and environment). */
export const healthConfigSpec = {} satisfies ConfigSpec;

/** The health's configuration, parsed once at boot. */
export type HealthConfig = ServiceConfig<typeof healthConfigSpec>;

/** Parses the health's configuration; throws `ConfigError` naming every bad variable. */
export function loadHealthConfig(env: Env): HealthConfig {
  return loadServiceConfig('health', healthConfigSpec, env);
}
