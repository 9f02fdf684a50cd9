import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, crawlTimeOf } from '@shelfwatch/contracts';
import { executePrepared } from '@shelfwatch/persistence';
import { BucketRow, LAST_COLUMNS, recordedRows } from './ranking-rows';
import { utcDay } from './buckets';
import { inKeyOrder } from './key-order';

type Recorded = EventEnvelope<'ranking.recorded'>;

/** The bucket tables' columns with their types, as `json_to_recordset` reads a batch of rows. */
const BUCKET_RECORD = `tenant_id uuid, product_id uuid, keyword_id uuid, bucket timestamptz, last_at timestamptz,
  samples integer, rank_min smallint, rank_max smallint, rank_last smallint, my_price numeric, price_source text,
  observed_mall text, currency text, order_fidelity text, seller_id text, availability text, review_count integer,
  review_rating numeric, placement text, condition text, competitor_min numeric`;
const BUCKET_COLUMNS: readonly (keyof BucketRow)[] = [
  'tenant_id',
  'product_id',
  'keyword_id',
  'bucket',
  'last_at',
  'samples',
  'rank_min',
  'rank_max',
  ...LAST_COLUMNS,
  'competitor_min',
];

/**
 * Min and max ignore absent ranks (`least`/`greatest` skip nulls); the last rank, my price (with where it
 * comes from and its currency), the order fidelity and my listing follow the latest crawl of the bucket; the
 * competitor price is the bucket's lowest (a product's prices are all in its currency). Additive `samples` is safe
 * because {@link rankingRecorded} applies a crawl once. One statement for the whole batch (rows passed as JSON).
 */
function upsertBuckets(table: string): string {
  const last = LAST_COLUMNS.map(
    (column) => `${column} = case when excluded.last_at > b.last_at then excluded.${column} else b.${column} end`,
  );
  const columns = BUCKET_COLUMNS.join(', ');
  return `insert into reporting.${table} as b (${columns})
    select ${columns} from json_to_recordset($1::json) as x(${BUCKET_RECORD})
    on conflict (tenant_id, product_id, keyword_id, bucket) do update set
      samples = b.samples + excluded.samples,
      rank_min = least(b.rank_min, excluded.rank_min),
      rank_max = greatest(b.rank_max, excluded.rank_max),
      ${last.join(',\n      ')},
      last_at = greatest(b.last_at, excluded.last_at),
      competitor_min = least(b.competitor_min, excluded.competitor_min)`;
}

/** The tenants whose dashboard average moved: a latest rank found for the first time or changed. */
const UPSERT_LATEST = `
  with incoming as (
    select * from json_to_recordset($1::json) as x(product_id uuid, keyword_id uuid, tenant_id uuid, rank smallint,
                                                    at timestamptz)
  ), before as (
    select r.product_id, r.keyword_id, r.rank from reporting.latest_ranks r join incoming i using (product_id, keyword_id)
  ), written as (
    insert into reporting.latest_ranks as r (product_id, keyword_id, tenant_id, rank, at)
    select product_id, keyword_id, tenant_id, rank, at from incoming
    on conflict (product_id, keyword_id) do update set rank = excluded.rank, at = excluded.at where excluded.at > r.at
    returning r.product_id, r.keyword_id, r.tenant_id, r.rank
  )
  select distinct w.tenant_id from written w left join before b using (product_id, keyword_id)
   where b.rank is distinct from w.rank`;

/** A cache scope a batch of recorded crawls changed the answers of. */
export interface ChangedScope {
  tenantId: string;
  scope: 'dashboard' | { brandsOf: string; day: string };
}

/** The crawls of the batch not projected before: the first event of each crawl whose `recorded_crawls` row is new. */
async function freshCrawls(em: EntityManager, events: readonly Recorded[]): Promise<Recorded[]> {
  const rows = new Map<string, { crawl_id: string; tenant_id: string; keyword_id: string; recorded_at: string }>();
  for (const e of events) {
    const crawlId = e.data.crawlId.toLowerCase();
    if (!rows.has(crawlId)) {
      rows.set(crawlId, {
        crawl_id: crawlId,
        tenant_id: e.tenantId,
        keyword_id: e.data.keywordId,
        recorded_at: e.data.recordedAt,
      });
    }
  }
  const inserted = await executePrepared<{ crawl_id: string }>(
    em,
    `insert into reporting.recorded_crawls (crawl_id, tenant_id, keyword_id, recorded_at)
     select crawl_id, tenant_id, keyword_id, recorded_at
       from json_to_recordset($1::json) as x(crawl_id uuid, tenant_id uuid, keyword_id uuid, recorded_at timestamptz)
     on conflict (crawl_id) do nothing returning crawl_id`,
    [JSON.stringify(inKeyOrder(rows))],
  );
  const fresh = new Set(inserted.map((row) => row.crawl_id.toLowerCase()));
  return events.filter((e) => fresh.delete(e.data.crawlId.toLowerCase()));
}

/**
 * Projects a batch of recorded crawls (in stream order): rank/price buckets per hour and day, the latest rank of
 * each standing, and the brand positions of the top 100. The `recorded_crawls` rows make each crawl apply once,
 * whatever the inbox saw (a replay, a rebuild racing the live consumer). Five statements per batch, whatever
 * its size: the rows of one key are folded first ({@link recordedRows}), as an upsert may touch a row only once.
 * Answers the cached reports whose answers changed.
 */
export async function rankingRecorded(em: EntityManager, events: readonly Recorded[]): Promise<ChangedScope[]> {
  if (events.length === 0) {
    return [];
  }
  const fresh = await freshCrawls(em, events);
  const { hourly, daily, latest, slots } = recordedRows(fresh);
  if (hourly.length > 0) {
    await executePrepared(em, upsertBuckets('rank_hourly'), [JSON.stringify(hourly)]);
    await executePrepared(em, upsertBuckets('rank_daily'), [JSON.stringify(daily)]);
  }
  const moved =
    latest.length === 0
      ? []
      : await executePrepared<{ tenant_id: string }>(em, UPSERT_LATEST, [JSON.stringify(latest)]);
  if (slots.length > 0) {
    await executePrepared(
      em,
      `insert into reporting.brand_slots as s (tenant_id, keyword_id, day, rank, brand, slots)
       select tenant_id, keyword_id, day, rank, brand, slots
         from json_to_recordset($1::json) as x(tenant_id uuid, keyword_id uuid, day date, rank smallint, brand text,
                                              slots integer)
       on conflict (tenant_id, keyword_id, day, rank, brand) do update set slots = s.slots + excluded.slots`,
      [JSON.stringify(slots)],
    );
  }
  const brandDays = fresh
    .filter((e) => e.data.entries.length > 0)
    .map((e): ChangedScope => ({
      tenantId: e.tenantId,
      scope: { brandsOf: e.data.keywordId, day: utcDay(crawlTimeOf(e.data)) },
    }));
  return [...moved.map((row): ChangedScope => ({ tenantId: row.tenant_id, scope: 'dashboard' })), ...brandDays];
}
