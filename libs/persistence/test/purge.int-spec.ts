import { Client } from 'pg';
import { TestDatabase, createTestDatabase } from '@shelfwatch/testing';
import { PurgeExecutor, PurgeTarget, purgeByTenantCutoffs, purgeInBatches } from '../src';

const DAY_MS = 86_400_000;
const CUTOFF = new Date('2026-10-01T00:00:00Z');
const TENANT_A = '0190a000-0000-7000-8000-00000000000a';
const TENANT_B = '0190a000-0000-7000-8000-00000000000b';

const events: PurgeTarget = { table: 'purge_t.events', keyColumn: 'id', timeColumn: 'at', tenantColumn: 'tenant_id' };

/** The helper speaks MikroORM's `?` placeholders; pg wants `$n`. */
function executorOf(client: Client): PurgeExecutor {
  return {
    execute: async (sql, params) => {
      let n = 0;
      const { rows } = await client.query<Record<string, unknown>>(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return rows;
    },
  };
}

describe('purgeInBatches', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.adminUrl });
    await client.connect();
    await client.query('create schema purge_t');
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  beforeEach(async () => {
    await client.query('drop table if exists purge_t.events');
    await client.query(`create table purge_t.events (
      id bigserial primary key, tenant_id uuid not null, at timestamptz not null)`);
  });

  /** `count` rows of `tenant`, spread evenly over `days` days before (negative) or after the cut-off. */
  async function seed(tenant: string, count: number, fromDays: number, toDays: number): Promise<void> {
    await client.query(
      `insert into purge_t.events (tenant_id, at)
       select $1::uuid, $2::timestamptz + (($3::float8 + ($4::float8 - $3::float8) * g / $5::float8) * interval '1 day')
         from generate_series(0, $5::int - 1) g`,
      [tenant, CUTOFF, fromDays, toDays, count],
    );
  }

  async function count(where = 'true'): Promise<number> {
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from purge_t.events where ${where}`);
    return rows[0]?.n ?? -1;
  }

  it('removes exactly the 100,000 old rows in batches of at most 10,000; rows written meanwhile survive', async () => {
    await seed(TENANT_A, 100_000, -40, -0.0001);
    await seed(TENANT_A, 100_000, 0, 30);
    const writer = new Client({ connectionString: db.adminUrl });
    await writer.connect();
    const batches: number[] = [];
    let inserted = 0;
    let purging = true;
    const writing = (async () => {
      while (purging) {
        // New rows at the cut-off itself (not older) and after it, written while batches run.
        await writer.query(
          `insert into purge_t.events (tenant_id, at) values ($1, $2), ($1, $2::timestamptz + interval '1 hour')`,
          [TENANT_A, CUTOFF],
        );
        inserted += 2;
      }
    })();

    const result = await purgeInBatches(executorOf(client), events, CUTOFF, {
      batchSize: 10_000,
      pauseMs: 20,
      onBatch: (deleted) => batches.push(deleted),
    });
    purging = false;
    await writing;
    await writer.end();

    expect(result).toEqual({
      deleted: 100_000,
      batches: 10,
      largestBatch: 10_000,
      byTenant: new Map([[TENANT_A, 100_000]]),
    });
    expect(batches.every((size) => size <= 10_000)).toBe(true);
    expect(inserted).toBeGreaterThan(0);
    expect(await count()).toBe(100_000 + inserted);
    expect(await count(`at < '${CUTOFF.toISOString()}'`)).toBe(0);
  });

  it('keeps each overriding tenant to its own cut-off', async () => {
    await seed(TENANT_A, 1_000, -100, -1);
    await seed(TENANT_B, 1_000, -100, -1);
    const longer = new Date(CUTOFF.getTime() - 50 * DAY_MS);

    const result = await purgeByTenantCutoffs(
      executorOf(client),
      events,
      { defaultCutoff: CUTOFF, overrides: [{ tenantId: TENANT_B, cutoff: longer }] },
      { batchSize: 300, pauseMs: 0 },
    );

    expect(await count(`tenant_id = '${TENANT_A}'`)).toBe(0);
    const keptB = await count(`tenant_id = '${TENANT_B}'`);
    expect(await count(`tenant_id = '${TENANT_B}' and at < '${longer.toISOString()}'`)).toBe(0);
    expect(keptB).toBeGreaterThan(400);
    expect(result.deleted).toBe(2_000 - keptB);
    expect(result.largestBatch).toBeLessThanOrEqual(300);
    expect(result.byTenant).toEqual(
      new Map([
        [TENANT_B, 1_000 - keptB],
        [TENANT_A, 1_000],
      ]),
    );
  });

  it('refuses to purge unpublished outbox rows', async () => {
    await expect(
      purgeInBatches(
        executorOf(client),
        { table: 'x.outbox', keyColumn: 'position', timeColumn: 'created_at' },
        CUTOFF,
      ),
    ).rejects.toThrow('published_at is not null');
  });
});
