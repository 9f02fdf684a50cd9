import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ServicePersistence } from '@shelfwatch/persistence';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { migrateInto } from '../../../libs/platform/test/service-harness';
import { crawlerPersistence } from '../src/crawler.persistence';

const KEYWORD_SITES = 'Migration20261204092000KeywordSites';

describe('crawler migration: scheduled keywords get a site', () => {
  let db: TestDatabase;
  let pg: Client;

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('keeps keywords scheduled before sites on no site (their marketplace’s only one)', async () => {
    const before: ServicePersistence = {
      ...crawlerPersistence,
      migrations: crawlerPersistence.migrations.filter((migration) => migration.name < KEYWORD_SITES),
    };
    db = await createTestDatabase();
    await migrateInto(db, before);
    pg = new Client({ connectionString: db.adminUrl });
    await pg.connect();
    await pg.query(
      `insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at)
       values ($1, $2, 'naver', 'kettle', 60, now())`,
      [randomUUID(), randomUUID()],
    );
    await migrateInto(db, crawlerPersistence);
    const { rows } = await pg.query('select marketplace, site, text from crawler.keywords');
    expect(rows).toEqual([{ marketplace: 'naver', site: null, text: 'kettle' }]);
  });
});
