import { randomUUID } from 'node:crypto';
import { EventEnvelope, STREAMS } from '@shelfwatch/contracts';
import { RpcRemoteError } from '@shelfwatch/messaging';
import { executeBound } from '@shelfwatch/persistence';
import { eventually, untilOutboxDrained } from '@shelfwatch/testing';
import { ProductView } from '../src/catalog/products.service';
import { LatestRanking } from '../src/rankings/latest-ranking.query';
import { CONTEXT_PRODUCTS_SQL, RankingsStore } from '../src/rankings/rankings.store';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, eventsOn, publish, query } from './ranking.fixtures';

describe('ranking records completed crawls', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();
  let products: ProductView[];
  let earbuds: string;
  let headphones: string;
  let crawl: EventEnvelope<'crawl.completed'>;
  let other: EventEnvelope<'crawl.completed'>;

  /**
   * Waits until the ranking's crawl consumer has acknowledged everything published so far, then until the relay
   * has published what those crawls emitted: only then may a test count what is on the RANKING stream.
   */
  async function drained(): Promise<void> {
    const nats = sut.booted.environment.nats;
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.CRAWL), 'ranking-crawl');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
    await untilOutboxDrained(sut.orm, 'ranking');
  }

  async function recordedFor(crawlId: string) {
    return eventually(async () => {
      const [event] = (await eventsOn(sut, 'RANKING', 'ranking.recorded')).filter((e) => e.data.crawlId === crawlId);
      expect(event).toBeDefined();
      return event?.data;
    });
  }

  function standingOf(standings: { productId: string }[] | undefined, index: number) {
    return standings?.find((s) => s.productId === products[index]?.id);
  }

  beforeAll(async () => {
    sut = await bootRanking();
    // 3 products × 2 keywords; one product excluded by id and one mall excluded by name.
    products = [];
    for (const [externalId, price] of [
      ['own-a', 10_000],
      ['own-b', 20_000],
      ['own-c', 30_000],
    ] as const) {
      products.push(
        await sut.rpc.request<ProductView>('ranking.product.create', {
          tenantId,
          marketplace: 'naver',
          externalId,
          name: `Product ${externalId}`,
          price,
          keywords: ['wireless earbuds', 'noise cancelling headphones'],
        }),
      );
    }
    earbuds = products[0]?.keywords[0]?.keywordId ?? '';
    headphones = products[0]?.keywords[1]?.keywordId ?? '';
    await sut.rpc.request('ranking.exclusion.add', { tenantId, kind: 'product', value: 'my-reseller-listing' });
    await sut.rpc.request('ranking.exclusion.add', { tenantId, kind: 'mall', value: ' Partner MALL ' });
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  const firstShelf = [
    anItem(1, 'my-reseller-listing', { price: 1_000 }),
    anItem(2, 'own-a', { price: 9_500 }),
    anItem(3, 'partner-item', { mall: 'partner mall', price: 2_000 }),
    anItem(4, 'rival-1', { price: 15_000, mall: 'Rival Store' }),
    anItem(5, 'own-b', { price: 20_000 }),
    anItem(6, 'rival-2', { price: 12_000, mall: 'Cheap Store' }),
    anItem(7, 'no-price', { price: 0 }),
  ];

  it('publishes standings with my rank and the lowest competitor price, own products and exclusions aside', async () => {
    crawl = aCrawlCompleted(tenantId, earbuds, firstShelf);
    other = aCrawlCompleted(tenantId, headphones, [anItem(1, 'own-c'), anItem(2, 'rival-9', { price: 100 })]);
    await publish(sut, crawl);
    await publish(sut, other);

    const recorded = await recordedFor(crawl.data.crawlId);
    expect(standingOf(recorded?.standings, 0)).toEqual({
      productId: products[0]?.id,
      rank: 2,
      previousRank: null,
      change: null,
      myPrice: 9_500,
      priceSource: 'observed',
      observedMall: 'Some Mall',
      catalogPrice: 10_000,
      currency: 'KRW',
      lowestCompetitorPrice: 12_000,
      otherCurrencyCompetitors: 0,
      lowestCompetitor: { externalId: 'rival-2', mall: 'Cheap Store', rank: 6 },
    });
    expect(standingOf(recorded?.standings, 1)).toMatchObject({
      rank: 5,
      myPrice: 20_000,
      priceSource: 'observed',
      lowestCompetitorPrice: 12_000,
    });
    expect(standingOf(recorded?.standings, 2)).toMatchObject({ rank: null, myPrice: 30_000, priceSource: 'catalog' });
    expect(recorded?.entries.map((e) => [e.rank, e.productId !== null, e.excluded])).toEqual([
      [1, false, true],
      [2, true, false],
      [3, false, true],
      [4, false, false],
      [5, true, false],
      [6, false, false],
      [7, false, false],
    ]);
  });

  it('stores every item of each crawl as one row', async () => {
    await recordedFor(other.data.crawlId);
    const rows = await query<{ keyword_id: string; count: string }>(
      sut,
      'select keyword_id, count(*) from ranking.ranking_rows group by keyword_id',
    );
    expect(Object.fromEntries(rows.map((r) => [r.keyword_id, Number(r.count)]))).toEqual({
      [earbuds]: 7,
      [headphones]: 2,
    });
    const [sample] = await query<Record<string, unknown>>(
      sut,
      `select rank, external_id, product_id, title, mall, price::float8 as price, brand, excluded, crawl_id, tenant_id
         from ranking.ranking_rows where keyword_id = ? and rank = 3`,
      [earbuds],
    );
    expect(sample).toEqual({
      rank: 3,
      external_id: 'partner-item',
      product_id: null,
      title: 'Item partner-item',
      mall: 'partner mall',
      price: 2_000,
      brand: 'Acme',
      excluded: true,
      crawl_id: crawl.data.crawlId,
      tenant_id: tenantId,
    });
  });

  it('computes the change since the previous crawl and announces moved products', async () => {
    const shelf = [
      anItem(1, 'own-c', { price: 29_000 }),
      anItem(2, 'rival-1', { price: 11_000 }),
      anItem(3, 'own-a'),
      anItem(4, 'own-b'),
    ];
    const crawl = aCrawlCompleted(tenantId, earbuds, shelf, { completedAt: '2026-11-22T11:00:00.000Z' });
    await publish(sut, crawl);

    const recorded = await recordedFor(crawl.data.crawlId);
    expect(standingOf(recorded?.standings, 0)).toMatchObject({ rank: 3, previousRank: 2, change: -1 });
    expect(standingOf(recorded?.standings, 1)).toMatchObject({ rank: 4, previousRank: 5, change: 1 });
    expect(standingOf(recorded?.standings, 2)).toMatchObject({ rank: 1, previousRank: null, change: null });
    expect(standingOf(recorded?.standings, 0)).toMatchObject({ lowestCompetitorPrice: 11_000 });

    const changed = await eventually(async () => {
      const events = (await eventsOn(sut, 'RANKING', 'ranking.changed')).filter(
        (e) => e.data.crawlId === crawl.data.crawlId,
      );
      expect(events).toHaveLength(3);
      return events;
    });
    expect(changed.map((e) => [e.data.productId, e.data.previousRank, e.data.currentRank])).toEqual(
      expect.arrayContaining([
        [products[0]?.id, 2, 3],
        [products[1]?.id, 5, 4],
        [products[2]?.id, null, 1],
      ]),
    );
    expect(changed.every((e) => e.causationId !== null && e.tenantId === tenantId)).toBe(true);

    const latest = await sut.rpc.request<LatestRanking>('ranking.keyword.latest', { tenantId, keywordId: earbuds });
    expect(latest).toMatchObject({ crawl: { crawlId: crawl.data.crawlId }, entries: [{ rank: 1 }, {}, {}, {}] });
    expect(latest.standings).toEqual(expect.arrayContaining(recorded?.standings ?? []));
  });

  it('stores a crawl delivered twice under different message ids once', async () => {
    const crawl = aCrawlCompleted(tenantId, headphones, [anItem(1, 'dup-1'), anItem(2, 'dup-2'), anItem(3, 'dup-3')], {
      completedAt: '2026-11-22T12:00:00.000Z',
    });
    await publish(sut, crawl);
    await publish(sut, crawl, randomUUID());
    await drained();
    const [rows] = await query<{ count: string }>(sut, 'select count(*) from ranking.ranking_rows where crawl_id = ?', [
      crawl.data.crawlId,
    ]);
    expect(rows?.count).toBe('3');
    const recorded = (await eventsOn(sut, 'RANKING', 'ranking.recorded')).filter(
      (e) => e.data.crawlId === crawl.data.crawlId,
    );
    expect(recorded).toHaveLength(1);
  });

  it('records a crawl split into parts once, when its last part arrives, whatever their order', async () => {
    const crawlId = randomUUID();
    const items = Array.from({ length: 9 }, (_, i) => anItem(i + 1, `split-${i + 1}`));
    const part = (index: number) =>
      aCrawlCompleted(tenantId, headphones, items.slice((index - 1) * 3, index * 3), {
        crawlId,
        part: index,
        parts: 3,
        completedAt: '2026-11-22T13:00:00.000Z',
      });
    await publish(sut, part(3));
    await publish(sut, part(1));
    await drained();
    expect((await eventsOn(sut, 'RANKING', 'ranking.recorded')).filter((e) => e.data.crawlId === crawlId)).toHaveLength(
      0,
    );
    await publish(sut, part(2));
    const recorded = await recordedFor(crawlId);
    expect(recorded?.entries.map((entry) => entry.externalId)).toEqual(items.map((item) => item.externalId));
    const [rows] = await query<{ count: string }>(sut, 'select count(*) from ranking.ranking_rows where crawl_id = ?', [
      crawlId,
    ]);
    expect(rows?.count).toBe('9');
    const [held] = await query<{ count: string }>(sut, 'select count(*) from ranking.crawl_parts where crawl_id = ?', [
      crawlId,
    ]);
    expect(held?.count).toBe('0');
  });

  it('answers a shelf too large for one message in bounded parts that reach every rank once', async () => {
    const product = await sut.rpc.request<ProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'own-long',
      name: 'Long titles',
      price: 1_000,
      keywords: ['long titles'],
    });
    const keywordId = product.keywords[0]?.keywordId ?? '';
    // 1 100 listings with 2 000-character titles: ~2.5 MB, as a hostile or careless marketplace could answer.
    const crawlId = randomUUID();
    const items = Array.from({ length: 1_100 }, (_, i) => anItem(i + 1, `long-${i + 1}`, { title: 't'.repeat(2_000) }));
    const parts = Math.ceil(items.length / 200);
    for (let index = 1; index <= parts; index++) {
      const slice = items.slice((index - 1) * 200, index * 200);
      await publish(sut, aCrawlCompleted(tenantId, keywordId, slice, { crawlId, part: index, parts }));
    }
    await recordedFor(crawlId);

    const ranks: number[] = [];
    let fromRank: number | null = 1;
    let answers = 0;
    while (fromRank !== null && answers < 20) {
      const latest: LatestRanking = await sut.rpc.request<LatestRanking>(
        'ranking.keyword.latest',
        { tenantId, keywordId, fromRank },
        5_000,
      );
      expect(latest.crawl?.crawlId).toBe(crawlId);
      ranks.push(...latest.entries.map((entry) => entry.rank));
      fromRank = latest.nextRank;
      answers += 1;
    }
    expect(answers).toBeGreaterThan(1);
    expect(ranks).toEqual(items.map((item) => item.rank));
  });

  it('acknowledges a crawl of an unknown keyword without recording anything', async () => {
    const crawl = aCrawlCompleted(tenantId, randomUUID(), [anItem(1, 'orphan')]);
    await publish(sut, crawl);
    await drained();
    const [rows] = await query<{ count: string }>(sut, 'select count(*) from ranking.ranking_rows where crawl_id = ?', [
      crawl.data.crawlId,
    ]);
    expect(rows?.count).toBe('0');
  });

  it("answers not_found for the latest ranking of another tenant's keyword", async () => {
    const error = await sut.rpc
      .request('ranking.keyword.latest', { tenantId: randomUUID(), keywordId: earbuds })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'not_found' });
  });

  it('reads only the products on the shelf and those tracked on the keyword, not the whole catalogue', async () => {
    const tenant = randomUUID();
    const created: ProductView[] = [];
    for (let i = 0; i < 30; i++) {
      created.push(
        await sut.rpc.request<ProductView>('ranking.product.create', {
          tenantId: tenant,
          marketplace: 'naver',
          externalId: `catalogue-${i}`,
          name: `Catalogue ${i}`,
          price: 1_000 + i,
          keywords: [i === 0 ? 'tracked here' : 'tracked elsewhere'],
        }),
      );
    }
    const keywordId = created[0]?.keywords[0]?.keywordId ?? '';
    const context = await sut.orm.em
      .fork()
      .transactional((em) =>
        new RankingsStore().loadRankingContext(
          em,
          { id: keywordId, tenantId: tenant, marketplace: 'naver' },
          { crawledAt: new Date().toISOString(), crawlId: randomUUID() },
          ['catalogue-7', 'catalogue-12', 'catalogue-7', 'someone-else', 'own-a'],
        ),
      );
    const idOf = (i: number): string => created[i]?.id ?? '';
    expect(context.ownProducts.map((p) => p.productId).sort()).toEqual([idOf(0), idOf(7), idOf(12)].sort());
    expect(context.ownProducts.find((p) => p.productId === idOf(12))).toMatchObject({
      externalId: 'catalogue-12',
      price: 1_012,
      currency: 'KRW',
    });
    expect(context.trackedProductIds).toEqual([idOf(0)]);
  });

  it("reads as much for a 300-product tenant's crawl as for a 30-product one's, before the statistics know them", async () => {
    // Statistics taken now say the products table is small, as they do for the tenants that join after them.
    await query(sut, 'analyze ranking.products');
    const catalogue = async (size: number): Promise<string> => {
      const tenant = randomUUID();
      await query(
        sut,
        `insert into ranking.products (id, tenant_id, marketplace, external_id, name, price, currency, created_at)
         select gen_random_uuid(), ?, 'naver', 'catalogue-' || i, 'Catalogue ' || i, 1000 + i, 'KRW', now()
           from generate_series(0, ? - 1) as i`,
        [tenant, size],
      );
      return tenant;
    };
    const buffers = async (tenant: string): Promise<number> => {
      type Plan = { 'QUERY PLAN': { Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }[] };
      const [plan] = await executeBound<Plan>(
        sut.orm.em.fork(),
        `explain (analyze, buffers, format json) ${CONTEXT_PRODUCTS_SQL}`,
        [randomUUID(), tenant, 'naver', ['catalogue-7', 'catalogue-12', 'someone-else']],
      );
      const root = plan?.['QUERY PLAN'][0]?.Plan;
      return (root?.['Shared Hit Blocks'] ?? 0) + (root?.['Shared Read Blocks'] ?? 0);
    };
    const small = await buffers(await catalogue(30));
    const large = await buffers(await catalogue(300));
    expect(small).toBeGreaterThan(0);
    expect(large).toBeLessThanOrEqual(small + 20);
  });
});
