import { Migrator } from '@mikro-orm/migrations';
import { Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { ServiceName } from '@shelfwatch/config';
import { serviceSchema } from './database-url';
import { PreparingClient } from './preparing-client';

/** A migration class of a service (committed under `services/<name>/src/migrations`). */
export type MigrationClass = NonNullable<NonNullable<Options['migrations']>['migrationsList']>[number];

/** What a service declares about its persistence. */
export interface ServicePersistence {
  service: ServiceName;
  /** Entity classes or schemas of this service only. */
  entities: NonNullable<Options['entities']>;
  /** Every migration of this service, oldest first. */
  migrations: MigrationClass[];
}

/**
 * MikroORM options for one service: its own schema, its own migrations table inside that schema, no
 * global entity manager (message handlers fork explicitly), a small pool whose connections run the statements
 * marked `prepared` as named prepared statements ({@link PreparingClient}).
 */
export function ormOptions(persistence: ServicePersistence, clientUrl: string, poolMax = 10): Options {
  const schema = serviceSchema(persistence.service);
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    schema,
    entities: persistence.entities,
    metadataProvider: ReflectMetadataProvider,
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    pool: { min: 0, max: poolMax },
    driverOptions: { Client: PreparingClient },
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      schema,
      migrationsList: persistence.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
}
