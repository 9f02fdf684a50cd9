import type { CrawlerConfig } from '../../crawler.config';
import type { MarketplaceDefinition } from '../marketplace-registry';
import { EbayBrowseAdapter } from './ebay.adapter';
import { nextPacificMidnight } from './ebay.parse';

/** eBay (Browse API) as configured: its adapter, the platform credentials (when set) and its limits. */
export function ebayMarketplace(config: CrawlerConfig): MarketplaceDefinition {
  const clientId = config.ebayClientId?.value;
  const clientSecret = config.ebayClientSecret?.value;
  return {
    id: 'ebay',
    name: 'eBay',
    adapter: new EbayBrowseAdapter({ baseUrl: config.ebayApiBaseUrl }),
    limits: {
      ratePerSecond: config.ebayRatePerSecond,
      maxConcurrency: config.ebayMaxConcurrency,
      dailyQuota: config.ebayDailyQuota,
      requestTimeoutMs: config.ebayRequestTimeoutMs,
      breaker: { volumeThreshold: config.ebayBreakerVolumeThreshold, resetTimeoutMs: config.ebayBreakerResetMs },
    },
    platformCredentials: clientId && clientSecret ? { clientId, clientSecret } : null,
    credentialVariables: ['EBAY_CLIENT_ID', 'EBAY_CLIENT_SECRET'],
    baseUrl: config.ebayApiBaseUrl,
    nextQuotaReset: (now) => nextPacificMidnight(now.getTime()),
  };
}
