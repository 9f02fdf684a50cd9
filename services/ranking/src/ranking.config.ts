import { ConfigSpec, Env, ServiceConfig, loadServiceConfig, retentionFloorSpec } from '@shelfwatch/config';

/** Variables the ranking reads on top of the common ones (DESIGN.md §Ports and environment). */
export const rankingConfigSpec = {
  /** Platform floor of purges: ranking history younger than this many days is never purged. */
  ...retentionFloorSpec(),
} satisfies ConfigSpec;

/** The ranking's configuration, parsed once at boot. */
export type RankingConfig = ServiceConfig<typeof rankingConfigSpec>;

/** Parses the ranking's configuration; throws `ConfigError` naming every bad variable. */
export function loadRankingConfig(env: Env): RankingConfig {
  return loadServiceConfig('ranking', rankingConfigSpec, env);
}
