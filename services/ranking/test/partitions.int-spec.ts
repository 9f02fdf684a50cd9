import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrateService, serviceRole, withCredentials } from '@shelfwatch/persistence';
import { createTestDatabase } from '@shelfwatch/testing';
import { rankingPersistence } from '../src/ranking.persistence';
import { RankingPartitionsStore } from '../src/retention/ranking-partitions.store';
import { RankingUnderTest, bootRanking } from './ranking.fixtures';

const DAY_MS = 86_400_000;

describe('ranking rows partitions', () => {
  let sut: RankingUnderTest;

  beforeAll(async () => {
    sut = await bootRanking();
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return sut.orm.em.fork().execute<T[]>(sql, params);
  }

  async function partitions(): Promise<string[]> {
    const rows = await query<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'ranking.ranking_rows'::regclass order by 1`,
    );
    return rows.map((row) => row.name);
  }

  it('has today and the next 7 days partitioned, plus a default partition, from the start', async () => {
    const names = await partitions();
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    expect(names).toContain(`ranking_rows_p${today}`);
    expect(names).toContain('ranking_rows_default');
    expect(names.filter((name) => name.startsWith('ranking_rows_p')).length).toBeGreaterThanOrEqual(8);
  });

  it('moves rows that landed in the default partition into the day partition created for them', async () => {
    const future = new Date(Date.now() + 20 * DAY_MS);
    const crawlId = randomUUID();
    await query(
      `insert into ranking.ranking_rows
         (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, title, mall, price, brand, excluded)
       select ?, ?, ?, ?::timestamptz, g, 'ext-' || g, 'Item', 'Mall', 1000, 'Brand', false from generate_series(1, 25) g`,
      [randomUUID(), randomUUID(), crawlId, future.toISOString()],
    );
    const [before] = await query<{ n: number }>('select count(*)::int as n from ranking.ranking_rows_default');
    expect(before?.n).toBe(25);

    const created = await sut.booted.sut.app.get(RankingPartitionsStore).ensureAhead(future);

    const day = `ranking_rows_p${future.toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(created).toContain(day);
    const [moved] = await query<{ n: number }>(`select count(*)::int as n from ranking.${day}`);
    const [left] = await query<{ n: number }>('select count(*)::int as n from ranking.ranking_rows_default');
    expect({ moved: moved?.n, left: left?.n }).toEqual({ moved: 25, left: 0 });
    // Reads through the parent table see the same rows as before, ids included.
    const rows = await query<{ id: string }>('select id from ranking.ranking_rows where crawl_id = ?', [crawlId]);
    expect(rows).toHaveLength(25);
  });
});

describe('partitioning migration over existing ranking rows', () => {
  it('keeps every row, its id and the id sequence when the table becomes partitioned', async () => {
    const db = await createTestDatabase();
    try {
      const role = serviceRole('ranking');
      const url = withCredentials(db.adminUrl, role, role);
      const before = { ...rankingPersistence, migrations: rankingPersistence.migrations.slice(0, 3) };
      await migrateService(before, url, { url: db.adminUrl, rolePassword: role });
      const sql = new Client({ connectionString: db.adminUrl });
      await sql.connect();
      try {
        await sql.query(
          `insert into ranking.ranking_rows
             (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, title, mall, price, brand, excluded)
           select $1::uuid, $1::uuid, $1::uuid, now() - g * interval '1 day', g, 'ext', 'Item', 'Mall', 1, 'B', false
             from generate_series(0, 9) g`,
          [randomUUID()],
        );
        await migrateService(rankingPersistence, url, { url: db.adminUrl, rolePassword: role });
        const { rows } = await sql.query<{ n: number; max: string; partitioned: boolean }>(
          `select count(*)::int as n, max(id)::text as max,
                  (select relkind = 'p' from pg_class where oid = 'ranking.ranking_rows'::regclass) as partitioned
             from ranking.ranking_rows`,
        );
        expect(rows[0]).toEqual({ n: 10, max: '10', partitioned: true });
        const { rows: next } = await sql.query<{ id: string }>(
          `insert into ranking.ranking_rows
             (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, title, mall, price, brand, excluded)
           values ($1, $1, $1, now(), 1, 'ext', 'Item', 'Mall', 1, 'B', false) returning id::text`,
          [randomUUID()],
        );
        expect(next[0]?.id).toBe('11');
      } finally {
        await sql.end();
      }
    } finally {
      await db.drop();
    }
  });
});
