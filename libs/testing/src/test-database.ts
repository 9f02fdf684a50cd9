import { randomBytes } from 'node:crypto';
import { databaseName, dropDatabase, ensureDatabase, withDatabase } from '@shelfwatch/persistence';

/** Operator URL of the Postgres the tests run against (the machine's local server by default). */
export const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database of its own for one test file; `drop()` removes it and everything in it. */
export interface TestDatabase {
  name: string;
  /** Operator URL pointing at the test database. */
  adminUrl: string;
  drop(): Promise<void>;
}

/** Random lower-case alphanumeric suffix for names that must not collide between concurrent runs. */
export function uniqueSuffix(length = 8): string {
  return randomBytes(length).toString('hex').slice(0, length);
}

/** Creates an empty database named `sw_t_<suffix>`. */
export async function createTestDatabase(baseUrl = TEST_POSTGRES_URL): Promise<TestDatabase> {
  const name = `sw_t_${uniqueSuffix()}`;
  const adminUrl = withDatabase(baseUrl, name);
  await ensureDatabase(adminUrl);
  return { name, adminUrl, drop: () => dropDatabase(adminUrl) };
}

/** A handle on a test database another process created (for example a benchmark's worker). */
export function existingTestDatabase(adminUrl: string): TestDatabase {
  return { name: databaseName(adminUrl), adminUrl, drop: () => dropDatabase(adminUrl) };
}
