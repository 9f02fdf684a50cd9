import { EntityManager } from '@mikro-orm/postgresql';
import { AlertType, ReportingDashboardView, alertTypeSchema } from '@shelfwatch/contracts';
import { BucketRow, ReadModelDump } from './history.oracle';

const iso = (value: Date | string): string => new Date(value).toISOString();

function sorted<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

interface RawBucket {
  product_id: string;
  keyword_id: string;
  bucket: Date;
  last_at: Date;
  samples: number;
  rank_min: number | null;
  rank_max: number | null;
  rank_last: number | null;
  my_price: string;
  price_source: string;
  observed_mall: string | null;
  competitor_min: string | null;
}

async function bucketRows(em: EntityManager, table: string, tenantId: string): Promise<BucketRow[]> {
  const rows = await em.execute<RawBucket[]>(`select * from reporting.${table} where tenant_id = ?`, [tenantId]);
  return sorted(
    rows.map((r) => ({
      productId: r.product_id,
      keywordId: r.keyword_id,
      bucket: iso(r.bucket),
      lastAt: iso(r.last_at),
      samples: r.samples,
      rankMin: r.rank_min,
      rankMax: r.rank_max,
      rankLast: r.rank_last,
      myPrice: Number(r.my_price),
      priceSource: r.price_source,
      observedMall: r.observed_mall,
      competitorMin: r.competitor_min === null ? null : Number(r.competitor_min),
    })),
    (r) => `${r.productId}|${r.keywordId}|${r.bucket}`,
  );
}

/** Every read model of a tenant as stored, in the oracle's shape. */
export async function dumpReadModels(em: EntityManager, tenantId: string): Promise<ReadModelDump> {
  const q = <T>(sql: string): Promise<T[]> => em.execute<T[]>(sql, [tenantId]);
  const products = await q<{ product_id: string; removed: boolean }>(
    'select product_id, removed from reporting.products where tenant_id = ?',
  );
  const links = await q<{ product_id: string; keyword_id: string; active: boolean }>(
    'select product_id, keyword_id, active from reporting.product_keywords where tenant_id = ?',
  );
  const crawls = await q<{ crawl_id: string; stage: number; changed_at: Date }>(
    'select crawl_id, stage, changed_at from reporting.crawls where tenant_id = ?',
  );
  const alerts = await q<{ alert_id: string; alert_type: string | null; resolved_at: Date | null }>(
    'select alert_id, alert_type, resolved_at from reporting.alerts where tenant_id = ?',
  );
  const recorded = await q<{ crawl_id: string }>('select crawl_id from reporting.recorded_crawls where tenant_id = ?');
  const latest = await q<{ product_id: string; keyword_id: string; rank: number | null; at: Date }>(
    'select product_id, keyword_id, rank, at from reporting.latest_ranks where tenant_id = ?',
  );
  const slots = await q<{ keyword_id: string; day: string; rank: number; brand: string; slots: number }>(
    `select keyword_id, to_char(day, 'YYYY-MM-DD') as day, rank, brand, slots
       from reporting.brand_slots where tenant_id = ?`,
  );
  return {
    products: sorted(
      products.map((r) => ({ productId: r.product_id, removed: r.removed })),
      (r) => r.productId,
    ),
    links: sorted(
      links.map((r) => ({ productId: r.product_id, keywordId: r.keyword_id, active: r.active })),
      (r) => `${r.productId}|${r.keywordId}`,
    ),
    crawls: sorted(
      crawls.map((r) => ({ crawlId: r.crawl_id, stage: r.stage, changedAt: iso(r.changed_at) })),
      (r) => r.crawlId,
    ),
    alerts: sorted(
      alerts.map((r) => ({ alertId: r.alert_id, type: r.alert_type, resolved: r.resolved_at !== null })),
      (r) => r.alertId,
    ),
    recorded: recorded.map((r) => r.crawl_id).sort(),
    hourly: await bucketRows(em, 'rank_hourly', tenantId),
    daily: await bucketRows(em, 'rank_daily', tenantId),
    latest: sorted(
      latest.map((r) => ({ productId: r.product_id, keywordId: r.keyword_id, rank: r.rank, at: iso(r.at) })),
      (r) => `${r.productId}|${r.keywordId}`,
    ),
    brandSlots: sorted(
      slots.map((r) => ({ keywordId: r.keyword_id, day: r.day, rank: r.rank, brand: r.brand, slots: r.slots })),
      (r) => `${r.keywordId}|${r.day}|${String(r.rank).padStart(4, '0')}|${r.brand}`,
    ),
  };
}

/** The dashboard as the obvious reading of the recomputed read models. */
export function expectedDashboard(dump: ReadModelDump, now: Date): Omit<ReportingDashboardView, 'generatedAt'> {
  const live = new Set(dump.products.filter((p) => !p.removed).map((p) => p.productId));
  const active = dump.links.filter((l) => l.active && live.has(l.productId));
  const activeKeys = new Set(active.map((l) => `${l.productId}|${l.keywordId}`));
  const since = now.getTime() - 86_400_000;
  const recent = dump.crawls.filter((c) => Date.parse(c.changedAt) > since && Date.parse(c.changedAt) <= now.getTime());
  const count = (stage: number): number => recent.filter((c) => c.stage === stage).length;
  const ranks = dump.latest
    .filter((l) => l.rank !== null && activeKeys.has(`${l.productId}|${l.keywordId}`))
    .map((l) => l.rank ?? 0);
  const completed = dump.crawls.filter((c) => c.stage === 3).map((c) => c.changedAt);
  const open = dump.alerts.filter((a) => a.type !== null && !a.resolved);
  return {
    trackedProducts: live.size,
    trackedKeywords: new Set(active.map((l) => l.keywordId)).size,
    crawlsLast24h: { requested: count(1), running: count(2), completed: count(3), failed: count(4) },
    openAlerts: Object.fromEntries(
      alertTypeSchema.options.map((type) => [type, open.filter((a) => a.type === type).length]),
    ) as Record<AlertType, number>,
    averageRank: ranks.length === 0 ? null : ranks.reduce((a, b) => a + b, 0) / ranks.length,
    lastSuccessfulCrawlAt: completed.length === 0 ? null : (completed.sort().at(-1) ?? null),
  };
}
