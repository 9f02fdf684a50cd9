import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { ProgressReporter } from '@shelfwatch/observability';
import { RANK_HOURLY_HISTORY_COLUMNS } from '../src/migrations/Migration20261207000000CoveringRankHistory';

/** How big the generated read models are: `tenants × products × 2 keywords × days × 24` hourly rows. */
export interface DatasetSize {
  tenants: number;
  productsPerTenant: number;
  keywordsPerTenant: number;
  days: number;
}

export const FULL_DATASET: DatasetSize = { tenants: 10, productsPerTenant: 700, keywordsPerTenant: 200, days: 30 };
/** One tenant: still 1 M hourly rows to export. */
export const QUICK_DATASET: DatasetSize = { tenants: 1, productsPerTenant: 700, keywordsPerTenant: 200, days: 30 };

/** A valid version-4 UUID derived from `md5(text)` (as `pg_temp.bu` makes it in SQL): how the dataset names tenants (`t<i>`), products (`p<i>-<j>`), keywords (`k<i>-<k>`). */
export function md5Uuid(text: string): string {
  const md5 = createHash('md5').update(text).digest('hex');
  const h = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** SQL statements that fill every read model for `size`, ending at the UTC hour `end`. */
function statements(size: DatasetSize, end: Date): string[] {
  const { tenants, productsPerTenant: products, keywordsPerTenant: keywords, days } = size;
  const hours = days * 24;
  const start = `'${new Date(end.getTime() - hours * 3_600_000).toISOString()}'::timestamptz`;
  const pairs = `select i, j, s, pg_temp.bu('t' || i) as tenant_id, pg_temp.bu('p' || i || '-' || j) as product_id,
      pg_temp.bu('k' || i || '-' || ((j + (s - 1) * ${Math.floor(keywords / 2)}) % ${keywords})) as keyword_id
    from generate_series(1, ${tenants}) i, generate_series(1, ${products}) j, generate_series(1, 2) s`;
  const bucketRows = (grain: 'hour' | 'day', count: number): string => `
    select tenant_id, product_id, keyword_id, bucket, bucket + interval '50 minutes', 2,
           1 + n % 300, 1 + n % 300 + n % 7, 1 + n % 300 + n % 3,
           10000 + (j % 50) * 100, case when n % 5 = 0 then null else 9000 + (n % 40) * 100 end
      from (${pairs}) p, generate_series(0, ${count - 1}) h,
      lateral (select ${start} + h * interval '1 ${grain}' as bucket, j * 7919 + h * 104729 + s * 31 as n) x`;
  const cols =
    'tenant_id, product_id, keyword_id, bucket, last_at, samples, rank_min, rank_max, rank_last, my_price, competitor_min';
  const crawlsPerKeyword = hours;
  return [
    `insert into reporting.products select pg_temp.bu('p' || i || '-' || j), pg_temp.bu('t' || i), false
       from generate_series(1, ${tenants}) i, generate_series(1, ${products}) j`,
    `insert into reporting.product_keywords select product_id, keyword_id, tenant_id, true, ${start} from (${pairs}) p`,
    `insert into reporting.latest_ranks select product_id, keyword_id, tenant_id,
            case when j % 9 = 0 then null else 1 + (j * 13 + s) % 300 end, ${start} + interval '${hours - 1} hours'
       from (${pairs}) p`,
    `insert into reporting.rank_hourly (${cols}) ${bucketRows('hour', hours)}`,
    `insert into reporting.rank_daily (${cols}) ${bucketRows('day', days)}`,
    // One crawl per keyword and hour: 85 % completed, 10 % failed, the newest still running.
    `insert into reporting.crawls
     select pg_temp.bu('c' || i || '-' || k || '-' || h), pg_temp.bu('t' || i), pg_temp.bu('k' || i || '-' || k),
            case when h = ${crawlsPerKeyword - 1} then 2 when (k + h) % 10 = 0 then 4 else 3 end,
            ${start} + h * interval '1 hour' + (k % 60) * interval '1 minute'
       from generate_series(1, ${tenants}) i, generate_series(0, ${keywords - 1}) k,
            generate_series(0, ${crawlsPerKeyword - 1}) h`,
    `insert into reporting.recorded_crawls select crawl_id, tenant_id, keyword_id, changed_at
       from reporting.crawls where stage = 3`,
    `insert into reporting.alerts
     select pg_temp.bu('a' || i || '-' || a), pg_temp.bu('t' || i),
            (array['price_undercut', 'rank_drop', 'product_missing', 'new_competitor'])[1 + a % 4],
            case when a % 3 = 0 then null else ${start} end
       from generate_series(1, ${tenants}) i, generate_series(1, 1000) a`,
    // Top 100 per keyword and day: one brand per rank, a second one on every third rank.
    `insert into reporting.brand_slots
     select pg_temp.bu('t' || i), pg_temp.bu('k' || i || '-' || k), (${start})::date + d, r,
            'Brand ' || ((k + r * 7 + d) % 25), 20
       from generate_series(1, ${tenants}) i, generate_series(0, ${keywords - 1}) k,
            generate_series(0, ${days - 1}) d, generate_series(1, 100) r
     union all
     select pg_temp.bu('t' || i), pg_temp.bu('k' || i || '-' || k), (${start})::date + d, r,
            'Other ' || ((k + r * 11 + d) % 25), 4
       from generate_series(1, ${tenants}) i, generate_series(0, ${keywords - 1}) k,
            generate_series(0, ${days - 1}) d, generate_series(3, 100, 3) r`,
  ];
}

const BULK_TABLES = ['rank_hourly', 'rank_daily', 'brand_slots'] as const;

/**
 * Fills the read models with `size` through `generate_series` (no round trip per row): the big tables
 * lose their primary key during the load and get it back by one sorted build, then everything is analyzed.
 */
export async function generateDataset(
  url: string,
  size: DatasetSize,
  end: Date,
  progressLine: (line: string) => void = () => undefined,
): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set maintenance_work_mem = '512MB'");
    await client.query('set synchronous_commit = off');
    await client.query(`create function pg_temp.bu(text) returns uuid language sql immutable as
      $$ select overlay(overlay(md5($1) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid $$`);
    for (const table of BULK_TABLES) {
      await client.query(`alter table reporting.${table} drop constraint ${table}_pkey`);
    }
    const all = [...statements(size, end)];
    const progress = new ProgressReporter('dataset', all.length, { emit: progressLine, unit: 'statements' });
    for (const sql of all) {
      await client.query(sql);
      progress.advance();
    }
    progress.finish();
    await client.query(
      `alter table reporting.rank_hourly add primary key (tenant_id, product_id, keyword_id, bucket)
         include (${RANK_HOURLY_HISTORY_COLUMNS})`,
    );
    await client.query('alter table reporting.rank_daily add primary key (tenant_id, product_id, keyword_id, bucket)');
    await client.query('alter table reporting.brand_slots add primary key (tenant_id, keyword_id, day, rank, brand)');
    await client.query('vacuum analyze');
    const counts: Record<string, number> = {};
    for (const table of ['rank_hourly', 'rank_daily', 'brand_slots', 'crawls', 'alerts', 'latest_ranks']) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from reporting.${table}`);
      counts[table] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  } finally {
    await client.end();
  }
}
