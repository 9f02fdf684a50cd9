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
 * pooled connection when BEGIN fails (a connection that died with Postgres), and when ROLLBACK fails (the
 * connection died mid-transaction), so every database blip leaks a pool slot until the relay, consumers
 * and workers wait forever. tools/patches releases it in both cases; this guards it.
 */
function fakeDatabase(failing: { begin?: boolean; rollback?: boolean }) {
  const counts = { acquired: 0, released: 0 };
  const connection: DatabaseConnection = {
    executeQuery: async (): Promise<QueryResult<never>> => ({ rows: [] }),
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const dead = async (): Promise<void> => {
    throw new Error('Connection terminated unexpectedly');
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => {
      counts.acquired += 1;
      return connection;
    },
    beginTransaction: failing.begin ? dead : async () => undefined,
    commitTransaction: async () => undefined,
    rollbackTransaction: failing.rollback ? dead : async () => undefined,
    releaseConnection: async () => {
      counts.released += 1;
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
  return { db, counts };
}

describe('a transaction whose ROLLBACK fails (the connection died mid-transaction)', () => {
  it('returns its connection to the pool', async () => {
    const { db, counts } = fakeDatabase({ rollback: true });
    const trx = await db.startTransaction().execute();
    await expect(trx.rollback().execute()).rejects.toThrow('Connection terminated unexpectedly');
    await new Promise((resolve) => setImmediate(resolve));
    expect(counts).toEqual({ acquired: 1, released: 1 });
    await db.destroy();
  });
});

describe('a transaction whose BEGIN fails', () => {
  it('returns its connection to the pool', async () => {
    const { db, counts } = fakeDatabase({ begin: true });
    await expect(db.startTransaction().execute()).rejects.toThrow('Connection terminated unexpectedly');
    await new Promise((resolve) => setImmediate(resolve));
    expect(counts).toEqual({ acquired: 1, released: 1 });
    await db.destroy();
  });
});
