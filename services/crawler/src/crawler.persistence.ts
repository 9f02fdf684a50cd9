import { ServicePersistence } from '@shelfwatch/persistence';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';

/** The crawler's schema: its entities and every migration, oldest first. */
export const crawlerPersistence: ServicePersistence = {
  service: 'crawler',
  entities: [],
  migrations: [{ name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging }],
};
