import { crawlTimeOf } from '@shelfwatch/contracts';
import { ReportingEvent } from '../../src/projections/reporting-events';

/** Every read model of one tenant, in a comparable shape (rows sorted, instants ISO, numbers numbers). */
export interface ReadModelDump {
  products: { productId: string; removed: boolean }[];
  links: { productId: string; keywordId: string; active: boolean }[];
  crawls: { crawlId: string; stage: number; changedAt: string }[];
  alerts: { alertId: string; type: string | null; resolved: boolean }[];
  recorded: string[];
  hourly: BucketRow[];
  daily: BucketRow[];
  latest: { productId: string; keywordId: string; rank: number | null; at: string }[];
  brandSlots: { keywordId: string; day: string; rank: number; brand: string; slots: number }[];
}

export interface BucketRow {
  productId: string;
  keywordId: string;
  bucket: string;
  lastAt: string;
  samples: number;
  rankMin: number | null;
  rankMax: number | null;
  rankLast: number | null;
  myPrice: number;
  priceSource: string;
  observedMall: string | null;
  competitorMin: number | null;
}

const STAGES = { 'crawl.requested': 1, 'crawl.started': 2, 'crawl.completed': 3, 'crawl.failed': 4 } as const;

function floorTo(at: string, ms: number): string {
  const t = Date.parse(at);
  return new Date(t - (t % ms)).toISOString();
}

function sortBy<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const minOf = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.min(...known);
};
const maxOf = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
};

interface Observation {
  productId: string;
  keywordId: string;
  at: string;
  rank: number | null;
  myPrice: number;
  priceSource: string;
  observedMall: string | null;
  competitor: number | null;
}

function buckets(observations: Observation[], width: number): BucketRow[] {
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    const key = `${o.productId}|${o.keywordId}|${floorTo(o.at, width)}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const rows = [...groups.values()].map((group) => {
    const last = group.reduce((a, b) => (b.at > a.at ? b : a));
    return {
      productId: last.productId,
      keywordId: last.keywordId,
      bucket: floorTo(last.at, width),
      lastAt: last.at,
      samples: group.length,
      rankMin: minOf(group.map((o) => o.rank)),
      rankMax: maxOf(group.map((o) => o.rank)),
      rankLast: last.rank,
      myPrice: last.myPrice,
      priceSource: last.priceSource,
      observedMall: last.observedMall,
      competitorMin: minOf(group.map((o) => o.competitor)),
    };
  });
  return sortBy(rows, (r) => `${r.productId}|${r.keywordId}|${r.bucket}`);
}

/**
 * The read models recomputed the obvious way from the raw events, in any order: last event time wins
 * for links, the furthest stage for crawls, one application per recorded crawl for everything ranked.
 */
export function recompute(events: readonly ReportingEvent[]): ReadModelDump {
  const products = new Map<string, boolean>();
  const links = new Map<string, { at: string; active: boolean }>();
  const crawls = new Map<string, { stage: number; at: string }>();
  const alerts = new Map<string, { type: string | null; resolved: boolean }>();
  const recorded = new Map<string, ReportingEvent & { type: 'ranking.recorded' }>();
  for (const e of events) {
    switch (e.type) {
      case 'tracking.product.added':
        products.set(e.data.productId, products.get(e.data.productId) ?? false);
        break;
      case 'tracking.product.removed':
        products.set(e.data.productId, true);
        break;
      case 'tracking.keyword.added':
      case 'tracking.keyword.removed': {
        const key = `${e.data.productId}|${e.data.keywordId}`;
        const current = links.get(key);
        if (!current || e.occurredAt > current.at) {
          links.set(key, { at: e.occurredAt, active: e.type === 'tracking.keyword.added' });
        }
        break;
      }
      case 'crawl.requested':
      case 'crawl.started':
      case 'crawl.completed':
      case 'crawl.failed': {
        const stage = STAGES[e.type];
        const at =
          e.type === 'crawl.requested'
            ? e.occurredAt
            : e.type === 'crawl.started'
              ? e.data.startedAt
              : e.type === 'crawl.completed'
                ? e.data.completedAt
                : e.data.failedAt;
        const current = crawls.get(e.data.crawlId);
        if (!current || stage > current.stage) {
          crawls.set(e.data.crawlId, { stage, at: new Date(at).toISOString() });
        }
        break;
      }
      case 'ranking.recorded':
        if (!recorded.has(e.data.crawlId)) {
          recorded.set(e.data.crawlId, e);
        }
        break;
      case 'alert.raised':
        alerts.set(e.data.alertId, { type: e.data.alertType, resolved: alerts.get(e.data.alertId)?.resolved ?? false });
        break;
      case 'alert.resolved':
        alerts.set(e.data.alertId, { type: alerts.get(e.data.alertId)?.type ?? null, resolved: true });
        break;
      default: {
        const unknown: never = e;
        throw new Error(`unexpected ${JSON.stringify(unknown)}`);
      }
    }
  }
  const observations: Observation[] = [...recorded.values()].flatMap((e) =>
    e.data.standings.map((s) => ({
      productId: s.productId,
      keywordId: e.data.keywordId,
      at: new Date(crawlTimeOf(e.data)).toISOString(),
      rank: s.rank,
      myPrice: s.myPrice,
      // Absent on events recorded before observed prices: those carried the catalogue price.
      priceSource: (s.priceSource as string | undefined) ?? 'catalog',
      observedMall: (s.observedMall as string | null | undefined) ?? null,
      competitor: s.lowestCompetitorPrice,
    })),
  );
  const latest = new Map<string, Observation>();
  for (const o of observations) {
    const key = `${o.productId}|${o.keywordId}`;
    const current = latest.get(key);
    if (!current || o.at > current.at) {
      latest.set(key, o);
    }
  }
  const slots = new Map<string, { keywordId: string; day: string; rank: number; brand: string; slots: number }>();
  for (const e of recorded.values()) {
    const day = floorTo(crawlTimeOf(e.data), 86_400_000).slice(0, 10);
    for (const entry of e.data.entries.filter((x) => x.rank <= 100)) {
      const brand = entry.brand.trim();
      const key = `${e.data.keywordId}|${day}|${String(entry.rank).padStart(4, '0')}|${brand}`;
      const row = slots.get(key) ?? { keywordId: e.data.keywordId, day, rank: entry.rank, brand, slots: 0 };
      row.slots += 1;
      slots.set(key, row);
    }
  }
  return {
    products: sortBy(
      [...products.entries()].map(([productId, removed]) => ({ productId, removed })),
      (r) => r.productId,
    ),
    links: sortBy(
      [...links.entries()].map(([key, v]) => {
        const [productId = '', keywordId = ''] = key.split('|');
        return { productId, keywordId, active: v.active };
      }),
      (r) => `${r.productId}|${r.keywordId}`,
    ),
    crawls: sortBy(
      [...crawls.entries()].map(([crawlId, v]) => ({ crawlId, stage: v.stage, changedAt: v.at })),
      (r) => r.crawlId,
    ),
    alerts: sortBy(
      [...alerts.entries()].map(([alertId, v]) => ({ alertId, ...v })),
      (r) => r.alertId,
    ),
    recorded: [...recorded.keys()].sort(),
    hourly: buckets(observations, 3_600_000),
    daily: buckets(observations, 86_400_000),
    latest: sortBy(
      [...latest.values()].map((o) => ({ productId: o.productId, keywordId: o.keywordId, rank: o.rank, at: o.at })),
      (r) => `${r.productId}|${r.keywordId}`,
    ),
    brandSlots: sortBy([...slots.entries()], ([key]) => key).map(([, row]) => row),
  };
}
