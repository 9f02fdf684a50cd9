import { ConfigSpec, Env, ServiceConfig, loadServiceConfig } from '@shelfwatch/config';

/** Variables the reporting reads on top of the common ones (DESIGN.md §Ports and environment). */
export const reportingConfigSpec = {} satisfies ConfigSpec;

/** The reporting's configuration, parsed once at boot. */
export type ReportingConfig = ServiceConfig<typeof reportingConfigSpec>;

/** Parses the reporting's configuration; throws `ConfigError` naming every bad variable. */
export function loadReportingConfig(env: Env): ReportingConfig {
  return loadServiceConfig('reporting', reportingConfigSpec, env);
}
