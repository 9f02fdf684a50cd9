import { ServicePersistence } from '@shelfwatch/persistence';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';
import { Migration20261122030000Alerting } from './migrations/Migration20261122030000Alerting';
import { Migration20261205070000ShelfCrawlTime } from './migrations/Migration20261205070000ShelfCrawlTime';
import { Migration20261206030000AlertCrawlTime } from './migrations/Migration20261206030000AlertCrawlTime';
import { Migration20261206040000ShelfStandings } from './migrations/Migration20261206040000ShelfStandings';
import { Migration20261206200000OutboxSetAside } from './migrations/Migration20261206200000OutboxSetAside';

/** The alerting's schema: its entities and every migration, oldest first. */
export const alertingPersistence: ServicePersistence = {
  service: 'alerting',
  entities: [],
  migrations: [
    { name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging },
    { name: 'Migration20261122030000Alerting', class: Migration20261122030000Alerting },
    { name: 'Migration20261205070000ShelfCrawlTime', class: Migration20261205070000ShelfCrawlTime },
    { name: 'Migration20261206030000AlertCrawlTime', class: Migration20261206030000AlertCrawlTime },
    { name: 'Migration20261206040000ShelfStandings', class: Migration20261206040000ShelfStandings },
    { name: 'Migration20261206200000OutboxSetAside', class: Migration20261206200000OutboxSetAside },
  ],
};
