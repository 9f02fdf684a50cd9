import {
  DatabaseConnection,
  Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  QueryResult,
} from 'kysely';

/**
 * MikroORM 7 opens transactions through kysely's `startTransaction()`. Unpatched kysely 0.29 keeps the
 * pooled connection when BEGIN fails (a connection that died with Postgres), so every database blip leaks
 * a pool slot until the relay and the consumers wait forever. tools/patches releases it; this guards it.
 */
describe('a transaction whose BEGIN fails', () => {
  it('returns its connection to the pool', async () => {
    let acquired = 0;
    let released = 0;
    const connection: DatabaseConnection = {
      executeQuery: async (): Promise<QueryResult<never>> => ({ rows: [] }),
      streamQuery: () => {
        throw new Error('not used');
      },
    };
    const driver: Driver = {
      init: async () => undefined,
      acquireConnection: async () => {
        acquired += 1;
        return connection;
      },
      beginTransaction: async () => {
        throw new Error('Connection terminated unexpectedly');
      },
      commitTransaction: async () => undefined,
      rollbackTransaction: async () => undefined,
      releaseConnection: async () => {
        released += 1;
      },
      destroy: async () => undefined,
    };
    const db = new Kysely<Record<string, never>>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (kysely) => new PostgresIntrospector(kysely),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    await expect(db.startTransaction().execute()).rejects.toThrow('Connection terminated unexpectedly');
    await new Promise((resolve) => setImmediate(resolve));
    expect(acquired).toBe(1);
    expect(released).toBe(1);
    await db.destroy();
  });
});
