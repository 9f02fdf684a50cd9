import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ServicePersistence } from '@shelfwatch/persistence';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { migrateInto } from '../../../libs/platform/test/service-harness';
import { rankingPersistence } from '../src/ranking.persistence';

const SITES = 'Migration20261204092000Sites';

/** The ranking's schema as it was before products and keywords had sites. */
const beforeSites: ServicePersistence = {
  ...rankingPersistence,
  migrations: rankingPersistence.migrations.filter((migration) => migration.name < SITES),
};

describe('ranking migration: products and keywords get a site and a currency', () => {
  let db: TestDatabase;
  let pg: Client;
  const tenantId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateInto(db, beforeSites);
    pg = new Client({ connectionString: db.adminUrl });
    await pg.connect();
    await pg.query(
      `insert into ranking.products (id, tenant_id, marketplace, external_id, name, price, created_at)
       values ($1, $2, 'naver', 'p-1', 'Kettle', 25000, now())`,
      [randomUUID(), tenantId],
    );
    await pg.query(
      `insert into ranking.keywords (id, tenant_id, marketplace, text, created_at) values ($1, $2, 'naver', 'kettle', now())`,
      [randomUUID(), tenantId],
    );
    await migrateInto(db, rankingPersistence);
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('keeps existing products as Naver ones: no site, prices in KRW', async () => {
    const { rows } = await pg.query('select site, currency, price::float8 as price from ranking.products');
    expect(rows).toEqual([{ site: null, currency: 'KRW', price: 25_000 }]);
    const keywords = await pg.query('select site from ranking.keywords');
    expect(keywords.rows).toEqual([{ site: null }]);
  });

  it('makes a product unique per site, a null site counting as one', async () => {
    const insert = (externalId: string, site: string | null, currency: string) =>
      pg.query(
        `insert into ranking.products (id, tenant_id, marketplace, site, external_id, name, price, currency, created_at)
         values ($1, $2, 'ebay', $3, $4, 'Kettle', 64.99, $5, now())`,
        [randomUUID(), tenantId, site, externalId, currency],
      );
    await insert('v1|1|0', 'EBAY_US', 'USD');
    await insert('v1|1|0', 'EBAY_GB', 'GBP');
    await expect(insert('v1|1|0', 'EBAY_GB', 'GBP')).rejects.toThrow(/unique/);
    await expect(
      pg.query(
        `insert into ranking.products (id, tenant_id, marketplace, external_id, name, price, currency, created_at)
         values ($1, $2, 'naver', 'p-1', 'Kettle', 1, 'KRW', now())`,
        [randomUUID(), tenantId],
      ),
    ).rejects.toThrow(/unique/);
  });

  it('asks every new product for its currency instead of assuming KRW', async () => {
    await expect(
      pg.query(
        `insert into ranking.products (id, tenant_id, marketplace, site, external_id, name, price, created_at)
         values ($1, $2, 'ebay', 'EBAY_DE', 'v1|2|0', 'Kettle', 1, now())`,
        [randomUUID(), tenantId],
      ),
    ).rejects.toThrow(/currency/);
  });
});
