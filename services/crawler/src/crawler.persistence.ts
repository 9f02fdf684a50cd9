import { ServicePersistence } from '@shelfwatch/persistence';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';
import { Migration20261122010000Crawls } from './migrations/Migration20261122010000Crawls';
import { Migration20261122050000CrawlRunsRetention } from './migrations/Migration20261122050000CrawlRunsRetention';
import { Migration20261203100010CrawlLeases } from './migrations/Migration20261203100010CrawlLeases';
import { Migration20261203110001VersionedSchedule } from './migrations/Migration20261203110001VersionedSchedule';
import { Migration20261203130001RequestBudget } from './migrations/Migration20261203130001RequestBudget';
import { Migration20261203140001TenantCredentials } from './migrations/Migration20261203140001TenantCredentials';
import { Migration20261203150001MarketplaceStatus } from './migrations/Migration20261203150001MarketplaceStatus';
import { Migration20261203160001AttemptFailedAt } from './migrations/Migration20261203160001AttemptFailedAt';
import { Migration20261204092000KeywordSites } from './migrations/Migration20261204092000KeywordSites';
import { Migration20261206200000OutboxSetAside } from './migrations/Migration20261206200000OutboxSetAside';
import { Migration20261207040000ManualClaimIndex } from './migrations/Migration20261207040000ManualClaimIndex';

/** The crawler's schema: its entities and every migration, oldest first. */
export const crawlerPersistence: ServicePersistence = {
  service: 'crawler',
  entities: [],
  migrations: [
    { name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging },
    { name: 'Migration20261122010000Crawls', class: Migration20261122010000Crawls },
    { name: 'Migration20261122050000CrawlRunsRetention', class: Migration20261122050000CrawlRunsRetention },
    { name: 'Migration20261203100010CrawlLeases', class: Migration20261203100010CrawlLeases },
    { name: 'Migration20261203110001VersionedSchedule', class: Migration20261203110001VersionedSchedule },
    { name: 'Migration20261203130001RequestBudget', class: Migration20261203130001RequestBudget },
    { name: 'Migration20261203140001TenantCredentials', class: Migration20261203140001TenantCredentials },
    { name: 'Migration20261203150001MarketplaceStatus', class: Migration20261203150001MarketplaceStatus },
    { name: 'Migration20261203160001AttemptFailedAt', class: Migration20261203160001AttemptFailedAt },
    { name: 'Migration20261204092000KeywordSites', class: Migration20261204092000KeywordSites },
    { name: 'Migration20261206200000OutboxSetAside', class: Migration20261206200000OutboxSetAside },
    { name: 'Migration20261207040000ManualClaimIndex', class: Migration20261207040000ManualClaimIndex },
  ],
};
