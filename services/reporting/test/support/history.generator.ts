import {
  AlertType,
  EventData,
  EventEnvelope,
  RankingEntry,
  Standing,
  buildEvent,
  rankingEntrySchema,
} from '@shelfwatch/contracts';
import { ReportingEvent, ReportingEventType } from '../../src/projections/reporting-events';
import { Seeded } from './seeded';

const BRANDS = ['Acme', 'Bolt', ' Acme ', 'Cora', '', 'Dyna', 'Elka'];
const ALERT_TYPES: AlertType[] = ['price_undercut', 'rank_drop', 'product_missing', 'new_competitor'];
const MINUTE = 60_000;

/** How big a generated history is. */
export interface HistorySize {
  products: [number, number];
  keywords: [number, number];
  crawls: [number, number];
  /** Shelf entries per recorded crawl. */
  entries: [number, number];
}

export const SMALL_HISTORY: HistorySize = { products: [3, 6], keywords: [2, 4], crawls: [40, 80], entries: [5, 130] };

/**
 * One tenant's event history over the 72 h before `now`: products and keyword links coming and going,
 * crawls in every outcome (some split in two parts), recorded rankings with standings and shelves,
 * alerts raised and resolved. Every event has its own instant; nothing happens within 15 minutes of
 * `now − 24 h` so that the dashboard's window is not decided by milliseconds.
 */
export function generateHistory(seed: number, now: Date, size: HistorySize = SMALL_HISTORY): ReportingEvent[] {
  const rnd = new Seeded(seed);
  const tenantId = rnd.uuid();
  const events: ReportingEvent[] = [];
  const boundary = now.getTime() - 24 * 60 * MINUTE;
  let t = now.getTime() - 72 * 60 * MINUTE;
  const tick = (ms = 1_000): number => {
    t += ms;
    if (Math.abs(t - boundary) < 15 * MINUTE) {
      t = boundary + 15 * MINUTE;
    }
    return t;
  };
  const emit = <T extends ReportingEventType>(type: T, data: EventData<T>, at = tick()): void => {
    const origin = { tenantId, correlationId: rnd.uuid(), causationId: null };
    events.push(buildEvent(type, data, origin, { id: rnd.uuid(), occurredAt: new Date(at) }) as ReportingEvent);
  };
  const iso = (ms: number): string => new Date(ms).toISOString();

  const products = Array.from({ length: rnd.int(...size.products) }, () => rnd.uuid());
  const keywords = Array.from({ length: rnd.int(...size.keywords) }, () => rnd.uuid());
  const links = new Map<string, boolean>();
  const removed = new Set<string>();
  const openAlerts: string[] = [];
  for (const productId of products) {
    emit('tracking.product.added', { productId, marketplace: 'naver', externalId: `x${t}`, name: 'P', price: 1000 });
    for (const keywordId of keywords.filter(() => rnd.chance(0.7))) {
      links.set(`${productId}|${keywordId}`, true);
      emit('tracking.keyword.added', { productId, keywordId, keyword: 'k', marketplace: 'naver', intervalMinutes: 60 });
    }
  }

  const crawls = rnd.int(...size.crawls);
  for (let i = 0; i < crawls && t < now.getTime() - 120 * MINUTE; i += 1) {
    tick(rnd.int(5, 100) * MINUTE);
    if (rnd.chance(0.12)) {
      const productId = rnd.pick(products);
      const keywordId = rnd.pick(keywords);
      const active = !(links.get(`${productId}|${keywordId}`) ?? false);
      links.set(`${productId}|${keywordId}`, active);
      if (active) {
        emit('tracking.keyword.added', {
          productId,
          keywordId,
          keyword: 'k',
          marketplace: 'naver',
          intervalMinutes: 60,
        });
      } else {
        emit('tracking.keyword.removed', { productId, keywordId });
      }
    }
    if (removed.size === 0 && rnd.chance(0.03)) {
      const productId = rnd.pick(products);
      removed.add(productId);
      emit('tracking.product.removed', { productId });
    }
    const keywordId = rnd.pick(keywords);
    const crawlId = rnd.uuid();
    emit('crawl.requested', { crawlId, keywordId, keyword: 'k', marketplace: 'naver', trigger: 'schedule' });
    const outcome = rnd.next();
    if (outcome < 0.05) {
      continue;
    }
    emit('crawl.started', { crawlId, keywordId, startedAt: iso(tick()) });
    if (outcome < 0.1) {
      continue;
    }
    if (outcome < 0.25) {
      const failedAt = iso(tick(30_000));
      emit('crawl.failed', { crawlId, keywordId, failedAt, code: 'timeout', message: 'slow', retryable: true });
      continue;
    }
    const completedAt = iso(tick(30_000));
    const parts = rnd.chance(0.2) ? 2 : 1;
    for (let part = 1; part <= parts; part += 1) {
      const data = { crawlId, keywordId, part, parts, keyword: 'k', marketplace: 'naver', completedAt };
      emit('crawl.completed', { ...data, pagesFetched: 1, items: [] });
    }
    const tracked = products.filter((p) => (links.get(`${p}|${keywordId}`) ?? false) && !removed.has(p));
    const recordedAt = iso(tick());
    const recorded = { crawlId, keywordId, recordedAt, crawledAt: completedAt, orderFidelity: 'exact' as const };
    emit('ranking.recorded', { ...recorded, ...shelf(rnd, tracked, size) });
    if (tracked.length > 0 && rnd.chance(0.3)) {
      const alertId = rnd.uuid();
      openAlerts.push(alertId);
      emit('alert.raised', {
        alertId,
        ruleId: rnd.uuid(),
        alertType: rnd.pick(ALERT_TYPES),
        productId: rnd.pick(tracked),
        keywordId,
        crawlId,
        message: 'm',
        details: {},
      });
    }
    if (openAlerts.length > 0 && rnd.chance(0.15)) {
      const alertId = openAlerts.splice(rnd.int(0, openAlerts.length - 1), 1)[0] ?? '';
      emit('alert.resolved', { alertId, resolvedAt: iso(tick()), reason: 'condition_cleared' });
    }
  }
  return events;
}

/** A shelf of random brands, and a standing for each tracked product (absent 30 % of the time). */
function shelf(rnd: Seeded, tracked: string[], size: HistorySize): { entries: RankingEntry[]; standings: Standing[] } {
  const n = rnd.int(...size.entries);
  const entries = Array.from({ length: n }, (_, index) =>
    rankingEntrySchema.parse({
      rank: index + 1,
      externalId: `e${index}`,
      productId: null,
      mall: 'mall',
      brand: rnd.pick(BRANDS),
      price: rnd.int(900, 2000),
      excluded: false,
    }),
  );
  const standings = tracked.map((productId) => {
    const lowest = rnd.chance(0.2) ? null : rnd.int(800, 1500);
    const rank = rnd.chance(0.3) ? null : rnd.int(1, n);
    const myPrice = rnd.int(900, 1600);
    // Derived from the figures (no extra draws, so a seed keeps its history): observed when on the shelf,
    // mostly; and now and then a standing as recorded before observed prices existed (no source fields).
    const observed = rank !== null && myPrice % 3 !== 0;
    const standing: Standing = {
      productId,
      rank,
      previousRank: null,
      change: null,
      myPrice,
      priceSource: observed ? 'observed' : 'catalog',
      observedMall: observed ? `mall ${myPrice % 5}` : null,
      catalogPrice: 1_000,
      currency: 'KRW',
      lowestCompetitorPrice: lowest,
      otherCurrencyCompetitors: 0,
      lowestCompetitor: lowest === null ? null : { externalId: 'e1', mall: 'mall', rank: 1 },
    };
    return myPrice % 7 === 0 ? asRecordedBeforeObservedPrices(standing) : standing;
  });
  return { entries, standings };
}

/** A standing as events recorded before observed prices (and currencies) carried it: without those fields. */
function asRecordedBeforeObservedPrices(standing: Standing): Standing {
  const { priceSource, observedMall, catalogPrice, currency, otherCurrencyCompetitors, ...old } = standing;
  void [priceSource, observedMall, catalogPrice, currency, otherCurrencyCompetitors];
  return old as Standing;
}

/** The tenant of a generated history. */
export function tenantOf(events: readonly EventEnvelope[]): string {
  const first = events[0];
  if (!first) {
    throw new Error('empty history');
  }
  return first.tenantId;
}
