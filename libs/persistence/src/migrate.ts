import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase, ensureServiceSchema } from './provision-database';
import { ServicePersistence, ormOptions } from './orm-options';

/** Outcome of migrating one service. */
export interface MigrationReport {
  service: string;
  applied: string[];
}

/**
 * Applies a service's pending migrations as the service's own role. With an `adminUrl` it first makes
 * sure the database, the role and the schema exist (development, CI, tests).
 */
export async function migrateService(
  persistence: ServicePersistence,
  serviceUrl: string,
  admin?: { url: string; rolePassword?: string },
): Promise<MigrationReport> {
  if (admin) {
    await ensureDatabase(admin.url);
    await ensureServiceSchema(admin.url, persistence.service, admin.rolePassword);
  }
  const orm = await MikroORM.init(ormOptions(persistence, serviceUrl, 1));
  try {
    const applied = await orm.migrator.up();
    return { service: persistence.service, applied: applied.map((migration) => migration.name) };
  } finally {
    await orm.close(true);
  }
}

/**
 * The names of a service's migrations not yet applied, read as the service's own role; throws while the
 * database, the role or the schema does not exist yet (a service waiting for its migration Job retries).
 */
export async function pendingMigrations(persistence: ServicePersistence, serviceUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(ormOptions(persistence, serviceUrl, 1));
  try {
    const pending = await orm.migrator.getPending();
    return pending.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}
