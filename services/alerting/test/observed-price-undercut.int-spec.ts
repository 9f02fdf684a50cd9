import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ALERTING_RPC, CrawlItem, RankingLatestView, RankingProductView } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually } from '@shelfwatch/testing';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { aCrawlCompleted, anItem } from '../../ranking/test/ranking.fixtures';
import { loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';
import { alertEvents, undercutRules } from './alerting.fixtures';

/**
 * The real ranking and alerting handlers on the real Postgres and NATS: a completed crawl goes in, and
 * "my price" in the undercut rule is the price my product was seen at on the shelf, not the catalogue's.
 */
describe('observed prices drive undercut alerts', () => {
  let environment: TestEnvironment;
  const services: ServiceUnderTest[] = [];
  let rpc: RpcClient;
  let alertingOrm: MikroORM;
  const tenantId = randomUUID();

  beforeAll(async () => {
    environment = await createTestEnvironment([rankingPersistence, alertingPersistence]);
    const env = environment.env;
    services.push(await bootService('ranking', loadRankingConfig(env), (c, l) => RankingAppModule.forConfig(c, l)));
    const alerting = await bootService('alerting', loadAlertingConfig(env), (c, l) =>
      AlertingAppModule.forConfig(c, l),
    );
    services.push(alerting);
    alertingOrm = alerting.app.get(MikroORM);
    rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
    await rpc.request(ALERTING_RPC.rulesPut, undercutRules(tenantId));
  });

  afterAll(async () => {
    for (const service of services) {
      await service.close();
    }
    await environment?.cleanup();
  });

  /** A product of the tenant at a catalogue price, tracked on a keyword of its own. */
  async function aProduct(
    externalId: string,
    price: number,
    marketplace = 'naver',
  ): Promise<{ productId: string; keywordId: string }> {
    const product = await rpc.request<RankingProductView>('ranking.product.create', {
      tenantId,
      marketplace,
      externalId,
      name: `Product ${externalId}`,
      price,
      keywords: [`lamp ${externalId}`],
    });
    return { productId: product.id, keywordId: product.keywords[0]?.keywordId ?? '' };
  }

  /** Publishes a completed crawl of the keyword and waits until alerting has evaluated it. */
  async function crawl(
    keywordId: string,
    items: CrawlItem[],
    overrides: Parameters<typeof aCrawlCompleted>[3] = {},
  ): Promise<string> {
    const event = aCrawlCompleted(tenantId, keywordId, items, { completedAt: new Date().toISOString(), ...overrides });
    const { nats } = environment;
    await nats.js.publish(nats.topology.subject('crawl.completed'), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => {
      const rows = await alertingOrm.em
        .fork()
        .execute('select 1 from alerting.keyword_shelves where crawl_id = ?', [event.data.crawlId]);
      expect(rows).toHaveLength(1);
    }, 20_000);
    return event.data.crawlId;
  }

  async function undercutsOf(productId: string): Promise<{ details: Record<string, unknown> }[]> {
    return alertingOrm.em
      .fork()
      .execute(`select details from alerting.alerts where product_id = ? and alert_type = 'price_undercut'`, [
        productId,
      ]);
  }

  it('raises an undercut when my observed price (12,000) is above a competitor my catalogue price (10,000) is below', async () => {
    const mine = await aProduct('mine-a', 10_000);
    const crawlId = await crawl(mine.keywordId, [
      anItem(1, 'unpriced-a', { price: null, mall: 'No Price Mall' }),
      anItem(2, 'rival-a', { price: 11_000, mall: 'Rival Mall' }),
      anItem(3, 'mine-a', { price: 12_000, mall: 'My Store' }),
    ]);

    const [raised] = await eventually(async () => {
      const events = (await alertEvents(environment, tenantId, 'alert.raised')).filter(
        (e) => e.data.productId === mine.productId,
      );
      expect(events).toHaveLength(1);
      return events;
    });
    expect(raised?.data).toMatchObject({
      alertType: 'price_undercut',
      crawlId,
      details: {
        myPrice: 12_000,
        priceSource: 'observed',
        observedMall: 'My Store',
        competitorPrice: 11_000,
        competitorExternalId: 'rival-a',
        gap: 1_000,
      },
    });
  });

  it('raises none when my observed price (10,000) is below a competitor my catalogue price (12,000) is above', async () => {
    const mine = await aProduct('mine-b', 12_000);
    await crawl(mine.keywordId, [
      anItem(1, 'mine-b', { price: 10_000, mall: 'My Store' }),
      anItem(2, 'rival-b', { price: 11_000, mall: 'Rival Mall' }),
      anItem(3, 'unpriced-b', { price: null }),
    ]);

    expect(await undercutsOf(mine.productId)).toEqual([]);
    const latest = await rpc.request<RankingLatestView>('ranking.keyword.latest', {
      tenantId,
      keywordId: mine.keywordId,
    });
    expect(latest.standings).toEqual([
      expect.objectContaining({
        myPrice: 10_000,
        priceSource: 'observed',
        observedMall: 'My Store',
        catalogPrice: 12_000,
        lowestCompetitorPrice: 11_000,
      }),
    ]);
  });

  it('never takes a listing without a price for the cheapest competitor, and serves its price as null', async () => {
    const mine = await aProduct('mine-c', 10_000);
    await crawl(mine.keywordId, [anItem(1, 'unpriced-c', { price: null }), anItem(2, 'rival-c', { price: 10_500 })]);

    expect(await undercutsOf(mine.productId)).toEqual([]);
    const latest = await rpc.request<RankingLatestView>('ranking.keyword.latest', {
      tenantId,
      keywordId: mine.keywordId,
    });
    expect(latest.entries.map((e) => [e.externalId, e.price])).toEqual([
      ['unpriced-c', null],
      ['rival-c', 10_500],
    ]);
    expect(latest.standings).toEqual([
      expect.objectContaining({
        myPrice: 10_000,
        priceSource: 'catalog',
        observedMall: null,
        lowestCompetitorPrice: 10_500,
        lowestCompetitor: expect.objectContaining({ externalId: 'rival-c' }) as unknown,
      }),
    ]);
  });

  const ebayUs = { marketplace: 'ebay', site: 'EBAY_US', orderFidelity: 'approximate' } as const;

  it('compares an eBay US product with dollar prices only, and says the currency in the alert', async () => {
    // minAmount (100) is in the product's currency: $100
    const mine = await aProduct('mine-d', 2_000, 'ebay');
    await crawl(
      mine.keywordId,
      [
        anItem(1, 'gbp-d', { price: 5, currency: 'GBP', mall: 'UK Seller' }),
        anItem(2, 'usd-d', { price: 1_900, currency: 'USD', mall: 'US Rival' }),
        anItem(3, 'jpy-d', { price: 900, currency: 'JPY' }),
      ],
      ebayUs,
    );

    const [raised] = await eventually(async () => {
      const events = (await alertEvents(environment, tenantId, 'alert.raised')).filter(
        (e) => e.data.productId === mine.productId && e.data.alertType === 'price_undercut',
      );
      expect(events).toHaveLength(1);
      return events;
    });
    expect(raised?.data).toMatchObject({
      alertType: 'price_undercut',
      message: 'A competitor (US Rival) is 5% ($100.00) below your price',
      details: {
        currency: 'USD',
        myPrice: 2_000,
        competitorPrice: 1_900,
        competitorExternalId: 'usd-d',
        gap: 100,
        otherCurrencyCompetitors: 2,
      },
    });
  });

  it('raises no undercut when every competitor is priced in another currency, and counts them', async () => {
    const mine = await aProduct('mine-e', 30, 'ebay');
    await crawl(
      mine.keywordId,
      [anItem(1, 'gbp-e', { price: 1, currency: 'GBP' }), anItem(2, 'eur-e', { price: 2, currency: 'EUR' })],
      ebayUs,
    );

    expect(await undercutsOf(mine.productId)).toEqual([]);
    const latest = await rpc.request<RankingLatestView>('ranking.keyword.latest', {
      tenantId,
      keywordId: mine.keywordId,
    });
    expect(latest.standings).toEqual([
      expect.objectContaining({
        currency: 'USD',
        lowestCompetitorPrice: null,
        lowestCompetitor: null,
        otherCurrencyCompetitors: 2,
      }),
    ]);
  });
});
