import { Secret } from '@shelfwatch/config';
import type { CrawlerConfig } from '../../crawler.config';
import { nextSeoulMidnight } from '../naver/naver.parse';
import type { MarketplaceDefinition } from '../marketplace-registry';
import { RakutenItemSearchAdapter } from './rakuten.adapter';

/**
 * Rakuten Ichiba as configured: its adapter, the platform credentials (the application id, with the access key when
 * set; an empty access key sends none) and its limits. The daily count resets at midnight in Tokyo, which shares
 * Seoul's UTC+9 without daylight saving time.
 */
export function rakutenMarketplace(config: CrawlerConfig): MarketplaceDefinition {
  const applicationId = config.rakutenApplicationId?.value;
  return {
    id: 'rakuten',
    name: 'Rakuten Ichiba',
    adapter: new RakutenItemSearchAdapter({ baseUrl: config.rakutenApiBaseUrl, referer: config.rakutenReferer }),
    limits: {
      ratePerSecond: config.rakutenRatePerSecond,
      maxConcurrency: config.rakutenMaxConcurrency,
      dailyQuota: config.rakutenDailyQuota,
      requestTimeoutMs: config.rakutenRequestTimeoutMs,
      breaker: {
        volumeThreshold: config.rakutenBreakerVolumeThreshold,
        resetTimeoutMs: config.rakutenBreakerResetMs,
      },
    },
    platformCredentials: applicationId
      ? { clientId: applicationId, clientSecret: config.rakutenAccessKey?.value ?? new Secret('') }
      : null,
    credentialVariables: ['RAKUTEN_APPLICATION_ID'],
    baseUrl: config.rakutenApiBaseUrl,
    nextQuotaReset: (now) => nextSeoulMidnight(now.getTime()),
  };
}
