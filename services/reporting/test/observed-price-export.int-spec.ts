import { randomUUID } from 'node:crypto';
import {
  REPORTING_RPC,
  RankingProductView,
  ReportingExportPage,
  ReportingPriceHistoryView,
  ReportingRankHistoryView,
} from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { ServiceUnderTest, bootService, migrateInto } from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { aCrawlCompleted, anItem } from '../../ranking/test/ranking.fixtures';
import { ReportingUnderTest, bootReporting } from './support/reporting.fixtures';

/**
 * The real ranking beside the real reporting (real Postgres and NATS): the price my product was observed at
 * on the shelf reaches price history and the CSV export with its source; when it is off the shelf, the
 * catalogue price does, saying so.
 */
describe('observed prices in price history and exports', () => {
  let sut: ReportingUnderTest;
  let ranking: ServiceUnderTest;
  const tenantId = randomUUID();
  const from = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    sut = await bootReporting();
    const { environment } = sut.booted;
    await migrateInto(environment.db, rankingPersistence);
    ranking = await bootService('ranking', loadRankingConfig(environment.env), (c, l) =>
      RankingAppModule.forConfig(c, l),
    );
  });

  afterAll(async () => {
    await ranking?.close();
    await sut?.booted.stop();
  });

  async function publishCrawl(
    keywordId: string,
    items: Parameters<typeof aCrawlCompleted>[2],
    overrides: Parameters<typeof aCrawlCompleted>[3] = {},
    tenant = tenantId,
  ): Promise<string> {
    const event = aCrawlCompleted(tenant, keywordId, items, { completedAt: new Date().toISOString(), ...overrides });
    const nats = sut.booted.environment.nats;
    await nats.js.publish(nats.topology.subject('crawl.completed'), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => {
      const rows = await sut
        .em()
        .execute('select 1 from reporting.recorded_crawls where crawl_id = ?', [event.data.crawlId]);
      expect(rows).toHaveLength(1);
    }, 20_000);
    return event.data.crawlId;
  }

  async function exportLines(tenant = tenantId): Promise<string[]> {
    const page = await sut.rpc.request<ReportingExportPage>(REPORTING_RPC.exportPage, { tenantId: tenant, from, to });
    return page.csv.split('\n').filter((line) => line !== '');
  }

  it('exports my observed price with price_source observed, then the catalogue price when I am off the shelf', async () => {
    const product = await sut.rpc.request<RankingProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'mine-1',
      name: 'Desk lamp',
      price: 10_000,
      keywords: ['desk lamp'],
    });
    const keywordId = product.keywords[0]?.keywordId ?? '';
    await publishCrawl(keywordId, [
      anItem(1, 'unpriced', { price: null }),
      anItem(2, 'mine-1', { price: 12_000, mall: 'My Store' }),
      anItem(3, 'rival', { price: 11_000 }),
    ]);

    const [header, row] = await exportLines();
    expect(header).toBe(
      'product_id,keyword_id,bucket_start,rank_min,rank_max,rank_last,samples,my_price,lowest_competitor_price,price_source,' +
        'currency,seller_id,availability,review_count,review_rating,placement,condition,order_fidelity',
    );
    expect(row?.split(',')).toEqual([
      product.id,
      keywordId,
      expect.any(String),
      '2',
      '2',
      '2',
      '1',
      '12000.00',
      '11000.00',
      'observed',
      'KRW',
      '',
      '',
      '',
      '',
      'organic',
      '',
      'exact',
    ]);
    const history = await sut.rpc.request<ReportingPriceHistoryView>(REPORTING_RPC.priceHistory, {
      tenantId,
      productId: product.id,
      keywordId,
      from,
      to,
      bucket: 'hour',
    });
    expect(history.points).toEqual([
      expect.objectContaining({ myPrice: 12_000, priceSource: 'observed', observedMall: 'My Store' }),
    ]);

    // Off the shelf at the next crawl: the bucket of that crawl ends with the catalogue price, saying so.
    await publishCrawl(keywordId, [anItem(1, 'rival', { price: 11_000 })]);
    const lines = await exportLines();
    expect(lines.at(-1)?.split(',').slice(7, 10)).toEqual(['10000.00', '11000.00', 'catalog']);
  });

  it('exports and serves an eBay product in its currency, with its listing and the crawl order fidelity', async () => {
    // Given an eBay US product, and a crawl (approximate order) with a cheaper competitor priced in pounds
    const ebayTenant = randomUUID();
    const product = await sut.rpc.request<RankingProductView>('ranking.product.create', {
      tenantId: ebayTenant,
      marketplace: 'ebay',
      externalId: 'ebay-mine',
      name: 'USB-C charger',
      price: 30,
      keywords: ['usb-c charger'],
    });
    const keywordId = product.keywords[0]?.keywordId ?? '';
    await publishCrawl(
      keywordId,
      [
        anItem(1, 'gbp-rival', { price: 5, currency: 'GBP' }),
        anItem(2, 'ebay-mine', {
          price: 29.99,
          currency: 'USD',
          sellerId: 'my-store',
          availability: 'limited',
          reviewCount: 7,
          reviewRating: 4.8,
          condition: 'New, with tags',
        }),
        anItem(3, 'usd-rival', { price: 27.5, currency: 'USD' }),
      ],
      { marketplace: 'ebay', site: 'EBAY_US', orderFidelity: 'approximate' },
      ebayTenant,
    );
    // Then the export's issue-16 columns come last: the currency, my listing (quoted where it holds a comma), fidelity
    const [header, row] = await exportLines(ebayTenant);
    expect(header?.split(',').slice(10)).toEqual([
      'currency',
      'seller_id',
      'availability',
      'review_count',
      'review_rating',
      'placement',
      'condition',
      'order_fidelity',
    ]);
    expect(row?.split(',').slice(0, 2)).toEqual([product.id, keywordId]);
    expect(row?.split(',').slice(7)).toEqual([
      '29.99',
      '27.50',
      'observed',
      'USD',
      'my-store',
      'limited',
      '7',
      '4.80',
      'organic',
      '"New',
      ' with tags"',
      'approximate',
    ]);
    // And price history is in the product's currency, rank history says the crawl's order fidelity
    const prices = await sut.rpc.request<ReportingPriceHistoryView>(REPORTING_RPC.priceHistory, {
      tenantId: ebayTenant,
      productId: product.id,
      keywordId,
      from,
      to,
      bucket: 'hour',
    });
    expect(prices.points).toEqual([
      expect.objectContaining({ myPrice: 29.99, lowestCompetitorPrice: 27.5, currency: 'USD' }),
    ]);
    const ranks = await sut.rpc.request<ReportingRankHistoryView>(REPORTING_RPC.rankHistory, {
      tenantId: ebayTenant,
      productId: product.id,
      from,
      to,
      bucket: 'hour',
    });
    expect(ranks.series[0]?.points).toEqual([expect.objectContaining({ rankLast: 2, orderFidelity: 'approximate' })]);
  });
});
