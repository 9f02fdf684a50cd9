import { Provider } from '@nestjs/common';
import { MarketplaceBreakers } from './marketplace-breakers';
import { MarketplaceStatusService } from './marketplace-status.service';
import { MarketplaceStatusStore } from './marketplace-status.store';
import { MarketplaceQuotaGauge } from './marketplace.metrics';

/** Marketplace status and the quota gauge (they use the crawls module's clients); its request handler is `MarketplaceStatusHandler`. */
export const marketplaceStatusProviders: Provider[] = [
  MarketplaceStatusStore,
  MarketplaceBreakers,
  MarketplaceStatusService,
  MarketplaceQuotaGauge,
];
