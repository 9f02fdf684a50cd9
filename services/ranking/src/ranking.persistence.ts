import { ServicePersistence } from '@shelfwatch/persistence';
import { catalogEntities } from './catalog/catalog.entities';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';
import { Migration20261122010000Catalog } from './migrations/Migration20261122010000Catalog';
import { Migration20261122020000CrawlParts } from './migrations/Migration20261122020000CrawlParts';
import { Migration20261122050000PartitionRankingRows } from './migrations/Migration20261122050000PartitionRankingRows';
import { Migration20261203100011KeywordCrawlHealth } from './migrations/Migration20261203100011KeywordCrawlHealth';
import { Migration20261203110001KeywordPlans } from './migrations/Migration20261203110001KeywordPlans';
import { Migration20261203120001ObservedPrices } from './migrations/Migration20261203120001ObservedPrices';
import { Migration20261204092000Sites } from './migrations/Migration20261204092000Sites';
import { Migration20261204093000CurrenciesAndListings } from './migrations/Migration20261204093000CurrenciesAndListings';
import { Migration20261206200000OutboxSetAside } from './migrations/Migration20261206200000OutboxSetAside';
import { Migration20261207050000ProductsByExternalId } from './migrations/Migration20261207050000ProductsByExternalId';

/** The ranking's schema: its entities and every migration, oldest first. */
export const rankingPersistence: ServicePersistence = {
  service: 'ranking',
  entities: catalogEntities,
  migrations: [
    { name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging },
    { name: 'Migration20261122010000Catalog', class: Migration20261122010000Catalog },
    { name: 'Migration20261122020000CrawlParts', class: Migration20261122020000CrawlParts },
    { name: 'Migration20261122050000PartitionRankingRows', class: Migration20261122050000PartitionRankingRows },
    { name: 'Migration20261203100011KeywordCrawlHealth', class: Migration20261203100011KeywordCrawlHealth },
    { name: 'Migration20261203110001KeywordPlans', class: Migration20261203110001KeywordPlans },
    { name: 'Migration20261203120001ObservedPrices', class: Migration20261203120001ObservedPrices },
    { name: 'Migration20261204092000Sites', class: Migration20261204092000Sites },
    { name: 'Migration20261204093000CurrenciesAndListings', class: Migration20261204093000CurrenciesAndListings },
    { name: 'Migration20261206200000OutboxSetAside', class: Migration20261206200000OutboxSetAside },
    { name: 'Migration20261207050000ProductsByExternalId', class: Migration20261207050000ProductsByExternalId },
  ],
};
