import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { CrawlItem, EventEnvelope, RankingProductView, STREAMS } from '@shelfwatch/contracts';
import { freshEm } from '@shelfwatch/persistence';
import { CheckedRpcClient, eventually, untilOutboxDrained } from '@shelfwatch/testing';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../libs/platform/test/service-harness';
import { loadAlertingConfig } from '../../services/alerting/src/alerting.config';
import { alertingPersistence } from '../../services/alerting/src/alerting.persistence';
import { AlertingAppModule } from '../../services/alerting/src/app.module';
import { RankingAppModule } from '../../services/ranking/src/app.module';
import { loadRankingConfig } from '../../services/ranking/src/ranking.config';
import { rankingPersistence } from '../../services/ranking/src/ranking.persistence';
import { LatestRanking } from '../../services/ranking/src/rankings/latest-ranking.query';
import { aCrawlCompleted, anItem } from '../../services/ranking/test/ranking.fixtures';
import { ReportingAppModule } from '../../services/reporting/src/app.module';
import { loadReportingConfig } from '../../services/reporting/src/reporting.config';
import { reportingPersistence } from '../../services/reporting/src/reporting.persistence';

/** A shelf of the keyword: my listing's rank and price (absent: not on the shelf), the rivals' prices in rank order. */
interface Shelf {
  mine: { rank: number; price: number } | null;
  rivals: number[];
  /** The rivals' listing ids, in rank order (default `rival-<i>`). */
  rivalIds?: string[];
}

/**
 * Crawls two hours apart (more than the default 60-minute cool-down, in crawl time), under the default rules:
 * undercut raised (1), resolved (2), raised again (3); my product missing (4); back, still undercut (5).
 */
const UNDERCUTS: readonly Shelf[] = [
  { mine: { rank: 2, price: 10_000 }, rivals: [9_000, 11_000] },
  { mine: { rank: 2, price: 10_000 }, rivals: [10_500, 11_000] },
  { mine: { rank: 2, price: 10_000 }, rivals: [9_000, 11_000] },
  { mine: null, rivals: [9_000, 11_000] },
  { mine: { rank: 3, price: 10_000 }, rivals: [9_500, 9_800] },
];

/** My product at rank 9, up to 2, down to 9 again (7 places: a rank drop by the default rules); nobody cheaper. */
/** Rivals A, B, C in the top 3; then D instead of C; then C again. */
const NEW_ENTRANT: readonly Shelf[] = ['C', 'D', 'C'].map((third) => ({
  mine: { rank: 4, price: 10_000 },
  rivals: [12_000, 12_000, 12_000],
  rivalIds: ['A', 'B', third],
}));

/** Rules that only look for new competitors in the top 3. */
const NEW_COMPETITOR_ONLY = {
  priceUndercut: { enabled: false, minPercent: null, minAmount: null },
  rankDrop: { enabled: false, minPlaces: 5, topK: null },
  productMissing: { enabled: false },
  newCompetitor: { enabled: true, topN: 3 },
  cooldownMinutes: 60,
};

const RANK_DROP: readonly Shelf[] = [9, 2, 9].map((rank) => ({
  mine: { rank, price: 10_000 },
  rivals: Array.from({ length: 9 }, () => 12_000),
}));

type Crawl = EventEnvelope<'crawl.completed'>;

/** A tenant of the test: my product on one keyword, and that keyword's crawls in crawl-time order. */
interface Tenant {
  tenantId: string;
  productId: string;
  keywordId: string;
  crawls: Crawl[];
}

/** My product as each tenant creates it, on the crawled keyword. */
const PRODUCT = { marketplace: 'naver', externalId: 'own-1', name: 'Lamp', price: 10_000, keywords: ['desk lamp'] };

const crawledAt = (index: number): string => new Date(Date.UTC(2026, 11, 3, 10 + 2 * index)).toISOString();

function itemsOf(shelf: Shelf): CrawlItem[] {
  const listings = shelf.rivals.map((price, i) => ({ externalId: shelf.rivalIds?.[i] ?? `rival-${i}`, price }));
  if (shelf.mine) {
    listings.splice(shelf.mine.rank - 1, 0, { externalId: 'own-1', price: shelf.mine.price });
  }
  return listings.map((listing, i) => anItem(i + 1, listing.externalId, { price: listing.price }));
}

/**
 * The ranking, the alerting and the reporting on the real Postgres and NATS: one tenant's crawls of a keyword
 * arrive in crawl-time order, an identical tenant's in reverse; what each service ends up with is the same.
 */
describe('pipeline: crawls of a keyword delivered out of order end as in order', () => {
  let environment: TestEnvironment;
  const services: ServiceUnderTest[] = [];
  let rpc: CheckedRpcClient;
  let rankingOrm: MikroORM;
  let alertingOrm: MikroORM;
  let reportingOrm: MikroORM;
  let published = 0;

  beforeAll(async () => {
    environment = await createTestEnvironment([rankingPersistence, alertingPersistence, reportingPersistence]);
    const env = environment.env;
    const ranking = await bootService('ranking', loadRankingConfig(env), (c, l) => RankingAppModule.forConfig(c, l));
    services.push(ranking);
    const alerting = await bootService('alerting', loadAlertingConfig(env), (c, l) =>
      AlertingAppModule.forConfig(c, l),
    );
    services.push(alerting);
    const reporting = await bootService('reporting', loadReportingConfig(env), (c, l) =>
      ReportingAppModule.forConfig(c, l),
    );
    services.push(reporting);
    rankingOrm = ranking.app.get(MikroORM);
    alertingOrm = alerting.app.get(MikroORM);
    reportingOrm = reporting.app.get(MikroORM);
    rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
  });

  afterAll(async () => {
    for (const service of services.reverse()) {
      await service.close();
    }
    await environment?.cleanup();
  });

  const query = <T>(orm: MikroORM, sql: string, params: unknown[] = []): Promise<T[]> =>
    freshEm(orm.em).execute<T[]>(sql, params);

  async function inboxCount(orm: MikroORM, schema: string, type: string): Promise<number> {
    const [row] = await query<{ n: number }>(
      orm,
      `select count(*)::int as n from "${schema}".inbox where event_type = ?`,
      [type],
    );
    return row?.n ?? 0;
  }

  /**
   * Publishes one crawl and waits until every service has applied it and all it caused: ranking recorded it,
   * the alerting and the reporting took its `ranking.recorded`, and the reporting took the alert events.
   */
  async function deliver(event: Crawl): Promise<void> {
    const { nats } = environment;
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    published += 1;
    await eventually(async () => {
      expect(await inboxCount(alertingOrm, 'alerting', 'ranking.recorded')).toBe(published);
      expect(await inboxCount(reportingOrm, 'reporting', 'ranking.recorded')).toBe(published);
    }, 30_000);
    await untilOutboxDrained(rankingOrm, 'ranking');
    await untilOutboxDrained(alertingOrm, 'alerting');
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.ALERT), 'reporting-alert');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    }, 30_000);
  }

  /** A tenant with my product on the keyword; its crawls of the keyword, one per shelf, in crawl-time order. */
  async function aTenant(shelves: readonly Shelf[]): Promise<Tenant> {
    const tenantId = randomUUID();
    const product = await rpc.request<RankingProductView>('ranking.product.create', { ...PRODUCT, tenantId });
    const keywordId = product.keywords[0]?.keywordId ?? '';
    const crawls = shelves.map((shelf, index) =>
      aCrawlCompleted(tenantId, keywordId, itemsOf(shelf), { completedAt: crawledAt(index), keyword: 'desk lamp' }),
    );
    return { tenantId, productId: product.id, keywordId, crawls };
  }

  /** What the three services hold of a tenant's keyword, with ids replaced by the crawl's index. */
  async function outcome(tenant: Tenant): Promise<unknown> {
    const { tenantId, productId, keywordId, crawls } = tenant;
    const indexOf = (crawlId: string): number => crawls.findIndex((c) => c.data.crawlId === crawlId);
    const latest = await rpc.request<LatestRanking>('ranking.keyword.latest', { tenantId, keywordId });
    const standings = await query<{ crawl_id: string; rank: number | null; previous_rank: number | null }>(
      rankingOrm,
      `select crawl_id, rank, previous_rank, change from ranking.standings where keyword_id = ? order by crawl_id`,
      [keywordId],
    );
    // Which crawl raised an alert, and the figures it carries, are those of the crawl that raised it.
    const alerts = await query(
      alertingOrm,
      `select alert_type, status from alerting.alerts
        where tenant_id = ? and product_id = ? and status <> 'resolved' order by alert_type`,
      [tenantId, productId],
    );
    const latestRanks = await query(
      reportingOrm,
      'select rank, at from reporting.latest_ranks where tenant_id = ? and product_id = ?',
      [tenantId, productId],
    );
    const buckets = (table: string) =>
      query(
        reportingOrm,
        `select bucket, last_at, samples, rank_min, rank_max, rank_last, my_price::float8 as my_price, price_source,
                competitor_min::float8 as competitor_min
           from reporting.${table} where tenant_id = ? and product_id = ? order by bucket`,
        [tenantId, productId],
      );
    const openAlerts = await query(
      reportingOrm,
      `select alert_type, count(*)::int as n from reporting.alerts
        where tenant_id = ? and resolved_at is null and alert_type is not null group by alert_type order by alert_type`,
      [tenantId],
    );
    const brandSlots = await query(
      reportingOrm,
      'select day::text, rank, brand, slots from reporting.brand_slots where tenant_id = ? order by day, rank, brand',
      [tenantId],
    );
    return {
      ranking: {
        latest: { crawl: indexOf(latest.crawl?.crawlId ?? ''), standings: latest.standings.map(withoutId) },
        standings: standings.map(({ crawl_id, ...rest }) => ({ crawl: indexOf(crawl_id), ...rest })).sort(byCrawl),
      },
      alerting: alerts,
      reporting: {
        latestRanks,
        hourly: await buckets('rank_hourly'),
        daily: await buckets('rank_daily'),
        openAlerts,
        brandSlots,
      },
    };
  }

  it('gives the same standings, open alerts and latest-crawl reporting rows as in-order delivery', async () => {
    const inOrder = await aTenant(UNDERCUTS);
    const reversed = await aTenant(UNDERCUTS);
    for (const crawl of inOrder.crawls) {
      await deliver(crawl);
    }
    for (const crawl of [...reversed.crawls].reverse()) {
      await deliver(crawl);
    }

    const expected = await outcome(inOrder);
    // The in-order tenant is what the scenario says: crawl 4 (my product missing) cleared by crawl 5, and the
    // undercut raised again at crawl 3 still open at crawl 5.
    expect(expected).toMatchObject({
      ranking: { latest: { crawl: 4, standings: [{ rank: 3, previousRank: null }] } },
      alerting: [{ alert_type: 'price_undercut', status: 'raised' }],
      reporting: { latestRanks: [{ rank: 3 }], openAlerts: [{ alert_type: 'price_undercut', n: 1 }] },
    });
    expect(await outcome(reversed)).toEqual(expected);
  });

  it('judges the newest crawl again when its predecessor arrives after it: the same rank drop as in order', async () => {
    const inOrder = await aTenant(RANK_DROP);
    const swapped = await aTenant(RANK_DROP);
    for (const crawl of inOrder.crawls) {
      await deliver(crawl);
    }
    // The last two swapped: the third crawl arrives before the second.
    for (const index of [0, 2, 1]) {
      await deliver(swapped.crawls[index]);
    }

    const expected = await outcome(inOrder);
    // In order the third crawl drops 2 → 9 against the second; arriving before it, it was judged 9 → 9 first.
    expect(expected).toMatchObject({
      ranking: { latest: { crawl: 2, standings: [{ rank: 9, previousRank: 2 }] } },
      alerting: [{ alert_type: 'rank_drop', status: 'raised' }],
    });
    expect(await outcome(swapped)).toEqual(expected);
  });

  it('judges a crawl again only for the products still tracked on the keyword', async () => {
    const { tenantId, productId, keywordId, crawls } = await aTenant(NEW_ENTRANT);
    await rpc.request('alerting.rules.put', { tenantId, defaults: NEW_COMPETITOR_ONLY, overrides: [] });
    // A second product keeps the keyword (and its crawls) when the first leaves it.
    const other = await rpc.request<RankingProductView>('ranking.product.create', {
      ...PRODUCT,
      tenantId,
      externalId: 'own-2',
    });
    await deliver(crawls[0]);
    await deliver(crawls[2]);
    await rpc.request('ranking.keyword.remove', { tenantId, productId, keywordId });
    await eventually(async () => {
      expect(await inboxCount(alertingOrm, 'alerting', 'tracking.keyword.removed')).toBe(1);
    });
    await deliver(crawls[1]);

    // The third crawl judged again against the second: rival C is new in the top 3, for the product still there.
    const raised = await query<{ product_id: string }>(
      alertingOrm,
      `select product_id from alerting.alerts where tenant_id = ? and alert_type = 'new_competitor'`,
      [tenantId],
    );
    expect(raised.map((row) => row.product_id)).toEqual([other.id]);
  });
});

function withoutId<T extends { productId: string }>({ productId: _productId, ...rest }: T): Omit<T, 'productId'> {
  return rest;
}

function byCrawl(a: { crawl: number }, b: { crawl: number }): number {
  return a.crawl - b.crawl;
}
