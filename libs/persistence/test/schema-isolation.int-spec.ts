import { Client } from 'pg';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { ensureServiceSchema, serviceRole, withCredentials } from '../src';

/** Each service connects as its own role, which owns its schema and can use no other. */
describe('per-service roles and schemas', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await ensureServiceSchema(db.adminUrl, 'crawler', serviceRole('crawler'));
    await ensureServiceSchema(db.adminUrl, 'ranking', serviceRole('ranking'));
    // Provisioning twice changes nothing and does not fail.
    await ensureServiceSchema(db.adminUrl, 'ranking', serviceRole('ranking'));
  });

  afterAll(async () => {
    await db.drop();
  });

  async function as<T>(service: 'crawler' | 'ranking', work: (client: Client) => Promise<T>): Promise<T> {
    const role = serviceRole(service);
    const client = new Client({ connectionString: withCredentials(db.adminUrl, role, role) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('lets a service create and use tables in its own schema, found through its search path', async () => {
    await as('crawler', async (client) => {
      await client.query('create table runs (id int)');
      await client.query('insert into runs values (1)');
      const { rows } = await client.query<{ schema: string }>(
        "select table_schema as schema from information_schema.tables where table_name = 'runs'",
      );
      expect(rows).toEqual([{ schema: 'crawler' }]);
    });
  });

  it("refuses another service's schema and the public schema", async () => {
    await as('ranking', async (client) => {
      await expect(client.query('select * from crawler.runs')).rejects.toThrow('permission denied for schema crawler');
      await expect(client.query('create table public.sneaky (id int)')).rejects.toThrow('permission denied');
    });
  });
});
