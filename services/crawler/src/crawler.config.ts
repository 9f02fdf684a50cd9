import { ConfigSpec, Env, ServiceConfig, loadServiceConfig, secret, url } from '@shelfwatch/config';

/** Variables the crawler reads on top of the common ones (DESIGN.md §Ports and environment). */
export const crawlerConfigSpec = {
  /** Where the Naver adapter sends searches (the marketplace simulator under `npm start`). */
  naverApiBaseUrl: url('NAVER_API_BASE_URL', ['http', 'https'], 'https://openapi.naver.com'),
  naverClientId: secret('NAVER_CLIENT_ID'),
  naverClientSecret: secret('NAVER_CLIENT_SECRET'),
} satisfies ConfigSpec;

/** The crawler's configuration, parsed once at boot. */
export type CrawlerConfig = ServiceConfig<typeof crawlerConfigSpec>;

/** Parses the crawler's configuration; throws `ConfigError` naming every bad variable. */
export function loadCrawlerConfig(env: Env): CrawlerConfig {
  return loadServiceConfig('crawler', crawlerConfigSpec, env);
}
