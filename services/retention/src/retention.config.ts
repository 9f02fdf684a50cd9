import { ConfigSpec, Env, ServiceConfig, loadServiceConfig } from '@shelfwatch/config';

/** Variables the retention reads on top of the common ones (DESIGN.md §Ports and environment). */
export const retentionConfigSpec = {} satisfies ConfigSpec;

/** The retention's configuration, parsed once at boot. */
export type RetentionConfig = ServiceConfig<typeof retentionConfigSpec>;

/** Parses the retention's configuration; throws `ConfigError` naming every bad variable. */
export function loadRetentionConfig(env: Env): RetentionConfig {
  return loadServiceConfig('retention', retentionConfigSpec, env);
}
