import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@shelfwatch/contracts';
import { brandSlots, dayBucket, hourBucket, utcDay } from './buckets';
import { SqlValue, changedAny, tuples } from './sql';

const BUCKET_COLUMNS = [
  'tenant_id, product_id, keyword_id, bucket, last_at, samples, rank_min, rank_max, rank_last',
  'my_price, price_source, observed_mall, competitor_min',
].join(', ');
const BUCKET_WIDTH = 13;

/**
 * Min and max ignore absent ranks (`least`/`greatest` skip nulls); the last rank and my price (with where it
 * comes from) follow the latest crawl of the bucket; the competitor price is the bucket's lowest. Additive `samples` is safe
 * because {@link rankingRecorded} applies a crawl once.
 */
function upsertBuckets(table: string, rows: SqlValue[][]): string {
  return `insert into reporting.${table} as b (${BUCKET_COLUMNS}) values ${tuples(rows.length, BUCKET_WIDTH)}
    on conflict (tenant_id, product_id, keyword_id, bucket) do update set
      samples = b.samples + excluded.samples,
      rank_min = least(b.rank_min, excluded.rank_min),
      rank_max = greatest(b.rank_max, excluded.rank_max),
      rank_last = case when excluded.last_at > b.last_at then excluded.rank_last else b.rank_last end,
      my_price = case when excluded.last_at > b.last_at then excluded.my_price else b.my_price end,
      price_source = case when excluded.last_at > b.last_at then excluded.price_source else b.price_source end,
      observed_mall = case when excluded.last_at > b.last_at then excluded.observed_mall else b.observed_mall end,
      last_at = greatest(b.last_at, excluded.last_at),
      competitor_min = least(b.competitor_min, excluded.competitor_min)`;
}

/**
 * Projects one recorded crawl: rank/price buckets per hour and day, the latest rank of each standing,
 * and the brand positions of the top 100. The `recorded_crawls` row makes the whole projection apply
 * once per crawl, whatever the inbox saw (a replay, a rebuild racing the live consumer). Five statements.
 */
export async function rankingRecorded(em: EntityManager, event: EventEnvelope<'ranking.recorded'>): Promise<boolean> {
  const { crawlId, keywordId, recordedAt: at, standings, entries } = event.data;
  const tenantId = event.tenantId;
  const fresh = await changedAny(
    em,
    `insert into reporting.recorded_crawls (crawl_id, tenant_id, keyword_id, recorded_at)
     values (?, ?, ?, ?::timestamptz) on conflict (crawl_id) do nothing returning crawl_id`,
    [crawlId, tenantId, keywordId, at],
  );
  if (!fresh) {
    return false;
  }
  if (standings.length > 0) {
    const bucketRows = (bucket: string): SqlValue[][] =>
      standings.map((s) => [
        tenantId,
        s.productId,
        keywordId,
        bucket,
        at,
        1,
        s.rank,
        s.rank,
        s.rank,
        s.myPrice,
        s.priceSource,
        s.observedMall,
        s.lowestCompetitorPrice,
      ]);
    const hourly = bucketRows(hourBucket(at));
    await em.execute(upsertBuckets('rank_hourly', hourly), hourly.flat(), 'run');
    const daily = bucketRows(dayBucket(at));
    await em.execute(upsertBuckets('rank_daily', daily), daily.flat(), 'run');
    await em.execute(
      `insert into reporting.latest_ranks as r (product_id, keyword_id, tenant_id, rank, at)
       values ${tuples(standings.length, 5)}
       on conflict (product_id, keyword_id) do update set rank = excluded.rank, at = excluded.at
         where excluded.at > r.at`,
      standings.flatMap((s) => [s.productId, keywordId, tenantId, s.rank, at]),
      'run',
    );
  }
  const slots = brandSlots(entries);
  if (slots.length > 0) {
    const day = utcDay(at);
    await em.execute(
      `insert into reporting.brand_slots as s (tenant_id, keyword_id, day, rank, brand, slots)
       values ${tuples(slots.length, 6)}
       on conflict (tenant_id, keyword_id, day, rank, brand) do update set slots = s.slots + excluded.slots`,
      slots.flatMap((slot) => [tenantId, keywordId, day, slot.rank, slot.brand, slot.slots]),
      'run',
    );
  }
  return true;
}
