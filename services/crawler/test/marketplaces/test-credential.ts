import { Secret } from '@shelfwatch/config';
import { ResolvedCredential, platformBudgetKey } from '../../src/marketplaces/marketplace-credentials';

/** Platform credentials of Naver for a test: what a resolver hands a crawl. */
export function naverCredential(clientId = 'stub-id', clientSecret = 'stub-secret'): ResolvedCredential {
  return {
    marketplace: 'naver',
    source: 'platform',
    budgetKey: platformBudgetKey('naver'),
    credentials: { clientId: new Secret(clientId), clientSecret: new Secret(clientSecret) },
  };
}

/** Platform credentials of eBay (an application keyset) for a test. */
export function ebayCredential(clientId = 'ebay-app-id', clientSecret = 'ebay-cert-id'): ResolvedCredential {
  return {
    marketplace: 'ebay',
    source: 'platform',
    budgetKey: platformBudgetKey('ebay'),
    credentials: { clientId: new Secret(clientId), clientSecret: new Secret(clientSecret) },
  };
}

/** Platform credentials of Rakuten for a test: the application id, and the access key ('' sends none). */
export function rakutenCredential(applicationId = 'rakuten-app-id', accessKey = ''): ResolvedCredential {
  return {
    marketplace: 'rakuten',
    source: 'platform',
    budgetKey: platformBudgetKey('rakuten'),
    credentials: { clientId: new Secret(applicationId), clientSecret: new Secret(accessKey) },
  };
}

/** What every page query of a test crawl carries besides the page. */
export const TEST_CRAWL = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  site: null,
  credential: naverCredential(),
};
