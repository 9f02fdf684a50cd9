import { ServicePersistence } from '@shelfwatch/persistence';
import { Migration20261122000000Messaging } from './migrations/Migration20261122000000Messaging';
import { Migration20261122100000ReadModels } from './migrations/Migration20261122100000ReadModels';
import { Migration20261203120001ObservedPrices } from './migrations/Migration20261203120001ObservedPrices';
import { Migration20261203170000PurgeWatermarks } from './migrations/Migration20261203170000PurgeWatermarks';
import { Migration20261204093001CurrenciesAndListings } from './migrations/Migration20261204093001CurrenciesAndListings';
import { Migration20261205090000RoomForHotUpdates } from './migrations/Migration20261205090000RoomForHotUpdates';
import { Migration20261206200000OutboxSetAside } from './migrations/Migration20261206200000OutboxSetAside';
import { Migration20261207000000CoveringRankHistory } from './migrations/Migration20261207000000CoveringRankHistory';

/** The reporting's schema: its entities and every migration, oldest first. */
export const reportingPersistence: ServicePersistence = {
  service: 'reporting',
  entities: [],
  migrations: [
    { name: 'Migration20261122000000Messaging', class: Migration20261122000000Messaging },
    { name: 'Migration20261122100000ReadModels', class: Migration20261122100000ReadModels },
    { name: 'Migration20261203120001ObservedPrices', class: Migration20261203120001ObservedPrices },
    { name: 'Migration20261203170000PurgeWatermarks', class: Migration20261203170000PurgeWatermarks },
    { name: 'Migration20261204093001CurrenciesAndListings', class: Migration20261204093001CurrenciesAndListings },
    { name: 'Migration20261205090000RoomForHotUpdates', class: Migration20261205090000RoomForHotUpdates },
    { name: 'Migration20261206200000OutboxSetAside', class: Migration20261206200000OutboxSetAside },
    { name: 'Migration20261207000000CoveringRankHistory', class: Migration20261207000000CoveringRankHistory },
  ],
};
