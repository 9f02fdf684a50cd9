import { randomUUID } from 'node:crypto';
import { EventEnvelope, rankingRecordedV1 } from '@shelfwatch/contracts';
import { eventually, untilOutboxDrained } from '@shelfwatch/testing';
import { ProductView } from '../src/catalog/products.service';
import { LatestRanking } from '../src/rankings/latest-ranking.query';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, eventsOn, publish, query } from './ranking.fixtures';

/** Issue 16: shelves in several currencies, listing fields, order fidelity; and events from before all that. */
describe('ranking keeps currencies and what the marketplaces bring', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();
  let ebayProduct: ProductView;
  let naverProduct: ProductView;

  async function recordedFor(crawlId: string) {
    return eventually(async () => {
      const [event] = (await eventsOn(sut, 'RANKING', 'ranking.recorded')).filter((e) => e.data.crawlId === crawlId);
      expect(event).toBeDefined();
      return rankingRecordedV1.parse(event?.data);
    });
  }

  beforeAll(async () => {
    sut = await bootRanking();
    const create = (marketplace: string, externalId: string, price: number) =>
      sut.rpc.request<ProductView>('ranking.product.create', {
        tenantId,
        marketplace,
        externalId,
        name: `Product ${externalId}`,
        price,
        keywords: ['usb-c charger'],
      });
    ebayProduct = await create('ebay', 'ebay-mine', 30);
    naverProduct = await create('naver', 'naver-mine', 30_000);
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  it('records a mixed-currency shelf: each row its currency and fields, standings compare in my currency only', async () => {
    // Given an eBay US crawl (approximate order) whose cheapest listings are priced in pounds and yen
    const keywordId = ebayProduct.keywords[0]?.keywordId ?? '';
    const crawl = aCrawlCompleted(
      tenantId,
      keywordId,
      [
        anItem(1, 'gbp-cheap', { price: 2, currency: 'GBP', mall: 'UK Seller', sellerId: 'uk-seller' }),
        anItem(2, 'ebay-mine', { price: 29.5, currency: 'USD', availability: 'in_stock' }),
        anItem(3, 'usd-rival', {
          price: 25.99,
          currency: 'USD',
          mall: 'US Rival',
          sellerId: 'us-rival',
          availability: 'limited',
          reviewCount: 120,
          reviewRating: 4.5,
          condition: 'New',
        }),
        anItem(4, 'site-priced', { price: 27 }),
        anItem(5, 'jpy-cheap', { price: 300, currency: 'JPY', placement: 'sponsored' }),
      ],
      { marketplace: 'ebay', site: 'EBAY_US', orderFidelity: 'approximate' },
    );
    // When the ranking records it
    await publish(sut, crawl);
    const recorded = await recordedFor(crawl.data.crawlId);
    // Then my standing is in dollars, its lowest competitor the cheapest dollar price, the others counted
    expect(recorded.orderFidelity).toBe('approximate');
    expect(recorded.standings).toEqual([
      expect.objectContaining({
        productId: ebayProduct.id,
        rank: 2,
        currency: 'USD',
        myPrice: 29.5,
        priceSource: 'observed',
        lowestCompetitorPrice: 25.99,
        lowestCompetitor: { externalId: 'usd-rival', mall: 'US Rival', rank: 3 },
        otherCurrencyCompetitors: 2,
      }),
    ]);
    expect(recorded.entries.map((entry) => entry.currency)).toEqual(['GBP', 'USD', 'USD', 'USD', 'JPY']);
    // And each row keeps its currency and what the marketplace said of the listing
    const rows = await query<Record<string, unknown>>(
      sut,
      `select external_id, price::float8 as price, currency, seller_id, availability, review_count,
              review_rating::float8 as review_rating, placement, condition
         from ranking.ranking_rows where crawl_id = ? order by rank`,
      [crawl.data.crawlId],
    );
    expect(rows).toEqual([
      expect.objectContaining({ external_id: 'gbp-cheap', currency: 'GBP', seller_id: 'uk-seller' }),
      expect.objectContaining({ external_id: 'ebay-mine', currency: 'USD', availability: 'in_stock' }),
      {
        external_id: 'usd-rival',
        price: 25.99,
        currency: 'USD',
        seller_id: 'us-rival',
        availability: 'limited',
        review_count: 120,
        review_rating: 4.5,
        placement: 'organic',
        condition: 'New',
      },
      expect.objectContaining({ external_id: 'site-priced', currency: 'USD', seller_id: null, placement: 'organic' }),
      expect.objectContaining({ external_id: 'jpy-cheap', currency: 'JPY', placement: 'sponsored' }),
    ]);
    // And the latest ranking serves the same
    const latest = await sut.rpc.request<LatestRanking>('ranking.keyword.latest', { tenantId, keywordId });
    expect(latest.crawl?.orderFidelity).toBe('approximate');
    expect(latest.standings).toEqual(recorded.standings);
    expect(latest.entries[2]).toMatchObject({
      currency: 'USD',
      sellerId: 'us-rival',
      availability: 'limited',
      reviewCount: 120,
      reviewRating: 4.5,
      placement: 'organic',
      condition: 'New',
    });
    // And the product's keyword standing says its currency and order fidelity
    const product = await sut.rpc.request<ProductView>('ranking.product.get', { tenantId, productId: ebayProduct.id });
    expect(product.keywords[0]).toMatchObject({ currency: 'USD', orderFidelity: 'approximate', myPrice: 29.5 });
  });

  it('reads a crawl from before currencies (no currency, no fidelity) as KRW, organic and exact', async () => {
    // Given a Naver crawl as crawlers sent them before issue 16
    const keywordId = naverProduct.keywords[0]?.keywordId ?? '';
    const crawl = aCrawlCompleted(tenantId, keywordId, [
      anItem(1, 'naver-rival', { price: 25_000 }),
      anItem(2, 'naver-mine', { price: 29_000 }),
    ]);
    // When recorded
    await publish(sut, crawl);
    const recorded = await recordedFor(crawl.data.crawlId);
    // Then everything reads as it always was
    expect(recorded.orderFidelity).toBe('exact');
    expect(recorded.standings[0]).toMatchObject({
      currency: 'KRW',
      lowestCompetitorPrice: 25_000,
      otherCurrencyCompetitors: 0,
    });
    expect(recorded.entries[0]).toMatchObject({ currency: 'KRW', placement: 'organic', sellerId: null });
    const rows = await query<Record<string, unknown>>(
      sut,
      `select currency, seller_id, availability, review_count, review_rating, placement, condition
         from ranking.ranking_rows where crawl_id = ? order by rank`,
      [crawl.data.crawlId],
    );
    const unsaid = {
      currency: 'KRW',
      seller_id: null,
      availability: null,
      review_count: null,
      review_rating: null,
      placement: 'organic',
      condition: null,
    };
    expect(rows).toEqual([unsaid, unsaid]);
    const [stored] = await query<{ order_fidelity: string }>(
      sut,
      'select order_fidelity from ranking.crawls where crawl_id = ?',
      [crawl.data.crawlId],
    );
    expect(stored?.order_fidelity).toBe('exact');
    // Nothing was said about a change only once everything this crawl emitted is on the stream.
    await untilOutboxDrained(sut.orm, 'ranking');
    const changed = (await eventsOn(sut, 'RANKING', 'ranking.changed')).filter(
      (event: EventEnvelope<'ranking.changed'>) => event.data.crawlId === crawl.data.crawlId,
    );
    expect(changed).toEqual([]);
  });

  it('parses a ranking.recorded from before currencies as KRW, organic and exact', () => {
    const old = {
      crawlId: randomUUID(),
      keywordId: randomUUID(),
      recordedAt: '2026-11-22T10:00:00.000Z',
      entries: [{ rank: 1, externalId: 'x', productId: null, mall: 'm', brand: 'b', price: 1_000, excluded: false }],
      standings: [
        {
          productId: randomUUID(),
          rank: null,
          previousRank: null,
          change: null,
          myPrice: 2_000,
          lowestCompetitorPrice: 1_000,
          lowestCompetitor: { externalId: 'x', mall: 'm', rank: 1 },
        },
      ],
    };
    const parsed = rankingRecordedV1.parse(old);
    expect(parsed.orderFidelity).toBe('exact');
    expect(parsed.entries[0]).toMatchObject({ currency: 'KRW', placement: 'organic', availability: null });
    expect(parsed.standings[0]).toMatchObject({ currency: 'KRW', otherCurrencyCompetitors: 0 });
  });
});
