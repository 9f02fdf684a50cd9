import { Provider } from '@nestjs/common';
import { MarketplaceBreakers } from './marketplace-breakers';
import { MarketplaceStatusHandler } from './marketplace-status.handler';
import { MarketplaceStatusService } from './marketplace-status.service';
import { MarketplaceStatusStore } from './marketplace-status.store';
import { MarketplaceQuotaGauge } from './marketplace.metrics';

/** Marketplace status, its request/reply handlers and the quota gauge (they use the crawls module's clients). */
export const marketplaceStatusProviders: Provider[] = [
  MarketplaceStatusStore,
  MarketplaceBreakers,
  MarketplaceStatusService,
  MarketplaceStatusHandler,
  MarketplaceQuotaGauge,
];
