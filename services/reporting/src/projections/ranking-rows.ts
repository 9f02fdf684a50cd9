import { EventEnvelope, RankingEntry, crawlTimeOf } from '@shelfwatch/contracts';
import { brandSlots, dayBucket, hourBucket, utcDay } from './buckets';
import { inKeyOrder } from './key-order';

type Recorded = EventEnvelope<'ranking.recorded'>;

/** One row of `rank_hourly` / `rank_daily`, named as its columns. */
export interface BucketRow {
  tenant_id: string;
  product_id: string;
  keyword_id: string;
  bucket: string;
  last_at: string;
  samples: number;
  rank_min: number | null;
  rank_max: number | null;
  rank_last: number | null;
  my_price: number;
  price_source: string;
  observed_mall: string | null;
  currency: string;
  order_fidelity: string;
  seller_id: string | null;
  availability: string | null;
  review_count: number | null;
  review_rating: number | null;
  placement: string | null;
  condition: string | null;
  competitor_min: number | null;
}

/** Columns that take the value of the bucket's latest crawl (in SQL and here). */
export const LAST_COLUMNS = [
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
] as const satisfies readonly (keyof BucketRow)[];

/** One row of `latest_ranks`. */
export interface LatestRow {
  product_id: string;
  keyword_id: string;
  tenant_id: string;
  rank: number | null;
  at: string;
}

/** One row of `brand_slots`. */
export interface SlotRow {
  tenant_id: string;
  keyword_id: string;
  day: string;
  rank: number;
  brand: string;
  slots: number;
}

/** What a batch of recorded crawls writes, one row per key (an upsert may touch a row once per statement). */
export interface RecordedRows {
  hourly: BucketRow[];
  daily: BucketRow[];
  latest: LatestRow[];
  slots: SlotRow[];
}

/** `least` / `greatest` as Postgres has them: a null is skipped. */
function pick(a: number | null, b: number | null, better: (x: number, y: number) => number): number | null {
  return a === null ? b : b === null ? a : better(a, b);
}

/**
 * Folds `row` into the row already collected for its key exactly as the upsert folds it into the table:
 * samples add up, min/max skip absent ranks, the last-crawl columns follow the strictly later crawl (the
 * earlier-applied one wins a tie), the competitor price is the lowest.
 */
export function foldBucket(into: BucketRow, row: BucketRow): void {
  into.samples += row.samples;
  into.rank_min = pick(into.rank_min, row.rank_min, Math.min);
  into.rank_max = pick(into.rank_max, row.rank_max, Math.max);
  into.competitor_min = pick(into.competitor_min, row.competitor_min, Math.min);
  if (Date.parse(row.last_at) > Date.parse(into.last_at)) {
    for (const column of LAST_COLUMNS) {
      Object.assign(into, { [column]: row[column] });
    }
    into.last_at = row.last_at;
  }
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

/** The bucket rows of one crawl for the bucket starting at `bucket`. */
function bucketRows(event: Recorded, bucket: string): BucketRow[] {
  const { keywordId, standings, entries, orderFidelity } = event.data;
  const listings = listingsOf(entries);
  return standings.map((s) => {
    const listing = listings.get(s.productId);
    return {
      tenant_id: event.tenantId,
      product_id: s.productId,
      keyword_id: keywordId,
      bucket,
      last_at: crawlTimeOf(event.data),
      samples: 1,
      rank_min: s.rank,
      rank_max: s.rank,
      rank_last: s.rank,
      my_price: s.myPrice,
      price_source: s.priceSource,
      observed_mall: s.observedMall,
      currency: s.currency,
      order_fidelity: orderFidelity,
      seller_id: listing?.sellerId ?? null,
      availability: listing?.availability ?? null,
      review_count: listing?.reviewCount ?? null,
      review_rating: listing?.reviewRating ?? null,
      placement: listing?.placement ?? null,
      condition: listing?.condition ?? null,
      competitor_min: s.lowestCompetitorPrice,
    };
  });
}

/** Adds `row` under `key`, or folds it into the row there. */
function collect<R>(rows: Map<string, R>, key: string, row: R, fold: (into: R, row: R) => void): void {
  const found = rows.get(key);
  if (found === undefined) {
    rows.set(key, row);
  } else {
    fold(found, row);
  }
}

/**
 * The rows a batch of recorded crawls (each applied once, in stream order) writes: one per bucket, standing
 * and brand slot, rows of the same key folded as the table's upserts would fold them one crawl at a time, each
 * table's rows in the order of their keys ({@link inKeyOrder}: two batches sharing rows cannot deadlock). Pure.
 */
export function recordedRows(events: readonly Recorded[]): RecordedRows {
  const hourly = new Map<string, BucketRow>();
  const daily = new Map<string, BucketRow>();
  const latest = new Map<string, LatestRow>();
  const slots = new Map<string, SlotRow>();
  for (const event of events) {
    const { keywordId } = event.data;
    const at = crawlTimeOf(event.data);
    for (const [rows, bucket] of [
      [hourly, hourBucket(at)],
      [daily, dayBucket(at)],
    ] as const) {
      for (const row of bucketRows(event, bucket)) {
        collect(rows, `${row.tenant_id}|${row.product_id}|${keywordId}|${bucket}`, row, foldBucket);
      }
    }
    for (const s of event.data.standings) {
      const row = { product_id: s.productId, keyword_id: keywordId, tenant_id: event.tenantId, rank: s.rank, at };
      collect(latest, `${s.productId}|${keywordId}`, row, (into, next) => {
        if (Date.parse(next.at) > Date.parse(into.at)) {
          Object.assign(into, next);
        }
      });
    }
    const day = utcDay(at);
    for (const slot of brandSlots(event.data.entries)) {
      const row = { tenant_id: event.tenantId, keyword_id: keywordId, day, ...slot };
      collect(slots, `${event.tenantId}|${keywordId}|${day}|${slot.rank}|${slot.brand}`, row, (into, next) => {
        into.slots += next.slots;
      });
    }
  }
  return {
    hourly: inKeyOrder(hourly),
    daily: inKeyOrder(daily),
    latest: inKeyOrder(latest),
    slots: inKeyOrder(slots),
  };
}
