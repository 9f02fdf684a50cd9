import { ServicePersistence } from '@shelfwatch/persistence';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';
import { Migration20261122030000Gateway } from './migrations/Migration20261122030000Gateway';
import { Migration20261206200000OutboxSetAside } from './migrations/Migration20261206200000OutboxSetAside';

/** The gateway's schema: tenants, API keys, idempotency keys (plain SQL, no entities) and every migration. */
export const gatewayPersistence: ServicePersistence = {
  service: 'gateway',
  entities: [],
  migrations: [
    { name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging },
    { name: 'Migration20261122030000Gateway', class: Migration20261122030000Gateway },
    { name: 'Migration20261206200000OutboxSetAside', class: Migration20261206200000OutboxSetAside },
  ],
};
