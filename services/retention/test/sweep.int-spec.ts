import { randomUUID } from 'node:crypto';
import { nanos } from '@nats-io/transport-node';
import { RETENTION_RPC, RetentionSweepView, STREAMS } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { RankingPartitionsStore } from '../../ranking/src/retention/ranking-partitions.store';
import { SweepScheduler } from '../src/sweeps/sweep.scheduler';
import { RetentionPlatform, bootRetentionPlatform, countOf } from './retention.fixtures';

const DAY_MS = 86_400_000;
const BATCH_SIZE = 10_000;

describe('retention sweep', () => {
  let platform: RetentionPlatform;
  const tenantA = randomUUID();
  /** Keeps its ranking rows 35 days instead of 30. */
  const tenantB = randomUUID();

  beforeAll(async () => {
    platform = await bootRetentionPlatform({
      RETENTION_PURGE_BATCH_SIZE: String(BATCH_SIZE),
      RETENTION_PURGE_PAUSE_MS: '20',
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** `count` ranking rows of a tenant, evenly spread between `fromDays` and `toDays` days ago (exclusive). */
  async function seedRows(tenantId: string, count: number, fromDays: number, toDays: number): Promise<void> {
    await platform.sql.query(
      `insert into ranking.ranking_rows
         (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, title, mall, price, brand, excluded)
       select $1::uuid, $2::uuid, $2::uuid,
              now() - ($3::float8 - ($3::float8 - $4::float8) * (g + 0.5) / $5::float8) * interval '1 day',
              g % 100 + 1, 'ext-' || g, 'Item', 'Mall', 1000, 'Brand', false
         from generate_series(0, $5::int - 1) g`,
      [tenantId, randomUUID(), fromDays, toDays, count],
    );
  }

  it('removes exactly the 100,000 rows older than each cut-off in bounded batches; newer and concurrent rows survive', async () => {
    // Daily partitions for the last 46 days, so that whole expired days can be dropped.
    const partitions = platform.ranking.app.get(RankingPartitionsStore);
    for (let daysAgo = 46; daysAgo > 0; daysAgo -= 8) {
      await partitions.ensureAhead(new Date(Date.now() - daysAgo * DAY_MS));
    }
    await platform.rpc.request(RETENTION_RPC.policyPut, {
      tenantId: tenantB,
      policies: [{ dataKind: 'ranking_rows', days: 35 }],
    });
    // 100,000 older than their tenant's cut-off...
    await seedRows(tenantA, 60_000, 40, 30.01);
    await seedRows(tenantB, 40_000, 45, 35.01);
    // ...and 100,000 inside the window, B's older than the default cut-off but inside its own.
    await seedRows(tenantA, 50_000, 29.99, 0);
    await seedRows(tenantB, 50_000, 34.99, 0);
    await seedCrawlRuns();

    // Rows keep arriving while the sweep runs.
    let inserted = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await seedRows(tenantA, 10, 0.001, 0);
        inserted += 10;
      }
    })();
    const scheduler = platform.retention.app.get(SweepScheduler);
    const sweepId = await scheduler.runDue();
    expect(sweepId).not.toBeNull();
    // Another check in the same period (another replica, or this one again) starts nothing.
    expect(await scheduler.runDue()).toBeNull();
    const sweep = await eventually(async () => {
      const view = await platform.rpc.request<RetentionSweepView>(RETENTION_RPC.sweepLatest, { tenantId: tenantA });
      expect(view.kinds.filter((kind) => kind.status === 'completed').map((kind) => kind.dataKind)).toEqual([
        'ranking_rows',
        'crawl_runs',
      ]);
      return view;
    }, 120_000);
    writing = false;
    await writer;

    expect(sweep).toMatchObject({ sweepId, status: 'running' }); // alerts and delivery logs: no alerting here
    expect(sweep.kinds[0]).toMatchObject({ dataKind: 'ranking_rows', deleted: 60_000, service: 'ranking' });
    expect(sweep.kinds[1]).toMatchObject({ dataKind: 'crawl_runs', deleted: 300, service: 'crawler' });
    const seenByB = await platform.rpc.request<RetentionSweepView>(RETENTION_RPC.sweepLatest, { tenantId: tenantB });
    expect(seenByB.kinds[0]).toMatchObject({ deleted: 40_000 });
    expect(new Date(seenByB.kinds[0]?.cutoff ?? 0).getTime()).toBeLessThan(
      new Date(sweep.kinds[0]?.cutoff ?? 0).getTime(),
    );

    const { sql } = platform;
    expect(inserted).toBeGreaterThan(0);
    expect(await countOf(sql, 'select count(*)::int as n from ranking.ranking_rows')).toBe(100_000 + inserted);
    expect(
      await countOf(sql, 'select count(*)::int as n from ranking.ranking_rows where tenant_id = $1', [tenantB]),
    ).toBe(50_000);
    const report = await sql.query<{ deleted: string; batches: number; partitions_dropped: number }>(
      "select deleted, batches, partitions_dropped from retention.sweep_kinds where sweep_id = $1 and data_kind = 'ranking_rows'",
      [sweepId],
    );
    const { batches, partitions_dropped: dropped } = report.rows[0] ?? { batches: 0, partitions_dropped: 0 };
    // Whole days older than B's 35 days were dropped; A's rows between 35 and 30 days went in batches.
    expect(dropped).toBeGreaterThanOrEqual(4);
    expect(batches).toBeGreaterThanOrEqual(2);
    // The crawl runs still running are kept however old, and so are the recent ones.
    expect(await countOf(sql, 'select count(*)::int as n from crawler.crawl_runs')).toBe(5 + 200);
  }, 300_000);

  it('sets stream ages to the longest window any tenant keeps, and never expires the tracking catalog', async () => {
    const { jsm, topology } = platform.environment.nats;
    const maxAgeDays = async (stream: keyof typeof STREAMS): Promise<number> =>
      (await jsm.streams.info(topology.streamName(STREAMS[stream]))).config.max_age / nanos(DAY_MS);
    // Tenant B keeps ranking rows 35 days (first test): so does the RANKING stream.
    expect(await maxAgeDays('RANKING')).toBe(35);
    expect(await maxAgeDays('CRAWL')).toBe(30);
    expect(await maxAgeDays('ALERT')).toBe(180);
    expect(await maxAgeDays('TRACKING')).toBe(0);
  });

  /** 300 finished runs older than 30 days, 5 still running from then, 200 recent ones. */
  async function seedCrawlRuns(): Promise<void> {
    await platform.sql.query(
      `insert into crawler.crawl_runs (crawl_id, tenant_id, keyword_id, trigger, status, requested_at, correlation_id)
       select gen_random_uuid(), $1::uuid, gen_random_uuid(), 'schedule',
              case when g < 300 then 'completed' when g < 305 then 'running' else 'failed' end,
              case when g < 305 then now() - interval '31 days' - g * interval '1 minute' else now() - g * interval '1 minute' end,
              gen_random_uuid()
         from generate_series(0, 504) g`,
      [tenantA],
    );
  }
});
