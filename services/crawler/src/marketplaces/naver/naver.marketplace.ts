import type { CrawlerConfig } from '../../crawler.config';
import type { MarketplaceDefinition } from '../marketplace-registry';
import { NaverShoppingAdapter } from './naver.adapter';
import { nextSeoulMidnight } from './naver.parse';

/** Naver Shopping as configured: its adapter, the platform credentials (when set) and its limits. */
export function naverMarketplace(config: CrawlerConfig): MarketplaceDefinition {
  const clientId = config.naverClientId?.value;
  const clientSecret = config.naverClientSecret?.value;
  return {
    id: 'naver',
    name: 'Naver Shopping',
    adapter: new NaverShoppingAdapter({ baseUrl: config.naverApiBaseUrl }),
    limits: {
      ratePerSecond: config.naverRatePerSecond,
      maxConcurrency: config.naverMaxConcurrency,
      dailyQuota: config.naverDailyQuota,
      requestTimeoutMs: config.naverRequestTimeoutMs,
      breaker: { volumeThreshold: config.naverBreakerVolumeThreshold, resetTimeoutMs: config.naverBreakerResetMs },
    },
    platformCredentials: clientId && clientSecret ? { clientId, clientSecret } : null,
    credentialVariables: ['NAVER_CLIENT_ID', 'NAVER_CLIENT_SECRET'],
    baseUrl: config.naverApiBaseUrl,
    nextQuotaReset: (now) => nextSeoulMidnight(now.getTime()),
  };
}
