import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope, RankingEntry } from '@shelfwatch/contracts';
import { brandSlots, dayBucket, hourBucket, utcDay } from './buckets';
import { SqlValue, changedAny, tuples } from './sql';

/** Columns that take the value of the bucket's latest crawl. */
const LAST_COLUMNS = [
  'rank_last',
  'my_price',
  'price_source',
  'observed_mall',
  'currency',
  'order_fidelity',
  'seller_id',
  'availability',
  'review_count',
  'review_rating',
  'placement',
  'condition',
];
const BUCKET_COLUMNS = [
  'tenant_id, product_id, keyword_id, bucket, last_at, samples, rank_min, rank_max',
  ...LAST_COLUMNS,
  'competitor_min',
].join(', ');
const BUCKET_WIDTH = 8 + LAST_COLUMNS.length + 1;

/**
 * Min and max ignore absent ranks (`least`/`greatest` skip nulls); the last rank, my price (with where it
 * comes from and its currency), the order fidelity and my listing follow the latest crawl of the bucket; the
 * competitor price is the bucket's lowest (a product's prices are all in its currency). Additive `samples` is safe
 * because {@link rankingRecorded} applies a crawl once.
 */
function upsertBuckets(table: string, rows: SqlValue[][]): string {
  const last = LAST_COLUMNS.map(
    (column) => `${column} = case when excluded.last_at > b.last_at then excluded.${column} else b.${column} end`,
  );
  return `insert into reporting.${table} as b (${BUCKET_COLUMNS}) values ${tuples(rows.length, BUCKET_WIDTH)}
    on conflict (tenant_id, product_id, keyword_id, bucket) do update set
      samples = b.samples + excluded.samples,
      rank_min = least(b.rank_min, excluded.rank_min),
      rank_max = greatest(b.rank_max, excluded.rank_max),
      ${last.join(',\n      ')},
      last_at = greatest(b.last_at, excluded.last_at),
      competitor_min = least(b.competitor_min, excluded.competitor_min)`;
}

/** Each own product's listing where it ranks: its first entry on the shelf. */
function listingsOf(entries: readonly RankingEntry[]): Map<string, RankingEntry> {
  const listings = new Map<string, RankingEntry>();
  for (const entry of entries) {
    if (entry.productId !== null && !listings.has(entry.productId)) {
      listings.set(entry.productId, entry);
    }
  }
  return listings;
}

/**
 * Projects one recorded crawl: rank/price buckets per hour and day, the latest rank of each standing,
 * and the brand positions of the top 100. The `recorded_crawls` row makes the whole projection apply
 * once per crawl, whatever the inbox saw (a replay, a rebuild racing the live consumer). Five statements.
 */
export async function rankingRecorded(em: EntityManager, event: EventEnvelope<'ranking.recorded'>): Promise<boolean> {
  const { crawlId, keywordId, recordedAt: at, standings, entries, orderFidelity } = event.data;
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
    const listings = listingsOf(entries);
    const bucketRows = (bucket: string): SqlValue[][] =>
      standings.map((s) => {
        const listing = listings.get(s.productId);
        return [
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
          s.currency,
          orderFidelity,
          listing?.sellerId ?? null,
          listing?.availability ?? null,
          listing?.reviewCount ?? null,
          listing?.reviewRating ?? null,
          listing?.placement ?? null,
          listing?.condition ?? null,
          s.lowestCompetitorPrice,
        ];
      });
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
