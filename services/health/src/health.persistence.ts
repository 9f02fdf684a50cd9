import { ServicePersistence } from '@shelfwatch/persistence';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';
import { Migration20261206200000OutboxSetAside } from './migrations/Migration20261206200000OutboxSetAside';

/** The health's schema: its entities and every migration, oldest first. */
export const healthPersistence: ServicePersistence = {
  service: 'health',
  entities: [],
  migrations: [
    { name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging },
    { name: 'Migration20261206200000OutboxSetAside', class: Migration20261206200000OutboxSetAside },
  ],
};
