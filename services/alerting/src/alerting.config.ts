import { ConfigSpec, Env, ServiceConfig, loadServiceConfig } from '@shelfwatch/config';

/** Variables the alerting reads on top of the common ones (DESIGN.md §Ports and environment). */
export const alertingConfigSpec = {} satisfies ConfigSpec;

/** The alerting's configuration, parsed once at boot. */
export type AlertingConfig = ServiceConfig<typeof alertingConfigSpec>;

/** Parses the alerting's configuration; throws `ConfigError` naming every bad variable. */
export function loadAlertingConfig(env: Env): AlertingConfig {
  return loadServiceConfig('alerting', alertingConfigSpec, env);
}
