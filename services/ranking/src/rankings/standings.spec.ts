import { CrawlItem } from '@shelfwatch/contracts';
import { Exclusions, OwnProduct, StandingsInput, computeStandings } from './standings';

const P1 = '00000000-0000-4000-8000-000000000001';
const P2 = '00000000-0000-4000-8000-000000000002';
const P3 = '00000000-0000-4000-8000-000000000003';

function item(rank: number, externalId: string, overrides: Partial<CrawlItem> = {}): CrawlItem {
  return {
    rank,
    externalId,
    title: `item ${externalId}`,
    mall: `mall-${externalId}`,
    price: 10_000,
    brand: 'brand',
    maker: 'maker',
    category: 'a>b',
    link: 'https://example.test/p',
    image: 'https://example.test/i.jpg',
    productType: '1',
    ...overrides,
  };
}

const noExclusions: Exclusions = { externalIds: new Set(), malls: new Set() };
const own: OwnProduct[] = [
  { productId: P1, externalId: 'mine-1', price: 20_000, currency: 'KRW' },
  { productId: P2, externalId: 'mine-2', price: 15_000, currency: 'KRW' },
  { productId: P3, externalId: 'mine-3', price: 9_000, currency: 'KRW' },
];

function given(overrides: Partial<StandingsInput>): StandingsInput {
  return {
    items: [],
    shelfCurrency: 'KRW',
    ownProducts: own,
    trackedProductIds: [P1, P2],
    exclusions: noExclusions,
    previousRanks: new Map(),
    ...overrides,
  };
}

describe('computeStandings', () => {
  it('gives each tracked product its rank, its move since the previous crawl and the cheapest competitor', () => {
    const result = computeStandings(
      given({
        items: [
          item(1, 'c-1', { price: 18_000 }),
          item(2, 'mine-1', { price: 19_000 }),
          item(3, 'c-2', { price: 12_500 }),
          item(4, 'mine-2'),
        ],
        previousRanks: new Map([
          [P1, 5],
          [P2, 2],
        ]),
      }),
    );
    expect(result.standings).toEqual([
      {
        productId: P1,
        rank: 2,
        previousRank: 5,
        change: 3,
        myPrice: 19_000,
        priceSource: 'observed',
        observedMall: 'mall-mine-1',
        catalogPrice: 20_000,
        currency: 'KRW',
        lowestCompetitorPrice: 12_500,
        otherCurrencyCompetitors: 0,
        lowestCompetitor: { externalId: 'c-2', mall: 'mall-c-2', rank: 3 },
      },
      expect.objectContaining({ productId: P2, rank: 4, previousRank: 2, change: -2 }),
    ]);
  });

  it('never counts the tenant’s own products, even untracked on this keyword, as competitors', () => {
    const result = computeStandings(
      given({ items: [item(1, 'mine-3', { price: 100 }), item(2, 'c-1', { price: 8_000 })] }),
    );
    expect(result.standings[0]?.lowestCompetitorPrice).toBe(8_000);
    expect(result.entries[0]).toMatchObject({ productId: P3, excluded: false });
  });

  it('skips excluded products and malls (mall names compared loosely)', () => {
    const result = computeStandings(
      given({
        items: [
          item(1, 'reseller', { price: 1_000, mall: '  My Reseller ' }),
          item(2, 'bundle', { price: 2_000 }),
          item(3, 'c-1', { price: 9_500 }),
        ],
        exclusions: { externalIds: new Set(['bundle']), malls: new Set(['my reseller']) },
      }),
    );
    expect(result.entries.map((entry) => entry.excluded)).toEqual([true, true, false]);
    expect(result.standings[0]?.lowestCompetitor).toEqual({ externalId: 'c-1', mall: 'mall-c-1', rank: 3 });
  });

  it('reports a product missing from the shelf with no rank and no change', () => {
    const result = computeStandings(given({ items: [item(1, 'c-1')], previousRanks: new Map([[P1, 4]]) }));
    expect(result.standings[0]).toMatchObject({ productId: P1, rank: null, previousRank: 4, change: null });
  });

  it('has no change on a product’s first appearance, and ignores competitors without a price', () => {
    const result = computeStandings(
      given({ items: [item(1, 'c-0', { price: 0 }), item(2, 'c-none', { price: null }), item(3, 'mine-1')] }),
    );
    expect(result.standings[0]).toMatchObject({
      rank: 3,
      previousRank: null,
      change: null,
      lowestCompetitorPrice: null,
      lowestCompetitor: null,
    });
    expect(result.entries[1]?.price).toBeNull();
  });

  it('uses the observed price when my product is on the shelf, the catalogue price when not or unpriced', () => {
    const result = computeStandings(
      given({ items: [item(1, 'mine-1', { price: 12_000, mall: 'My Store' }), item(2, 'mine-2', { price: null })] }),
    );
    expect(result.standings.map((s) => [s.myPrice, s.priceSource, s.observedMall, s.catalogPrice])).toEqual([
      [12_000, 'observed', 'My Store', 20_000],
      [15_000, 'catalog', null, 15_000],
    ]);
  });

  it('breaks price ties by the better rank and counts a listed-twice product at its first place', () => {
    const result = computeStandings(
      given({
        items: [
          item(1, 'mine-1'),
          item(2, 'c-a', { price: 7_000 }),
          item(3, 'c-b', { price: 7_000 }),
          item(4, 'mine-1'),
        ],
      }),
    );
    expect(result.standings[0]).toMatchObject({
      rank: 1,
      lowestCompetitor: { externalId: 'c-a', mall: 'mall-c-a', rank: 2 },
    });
  });

  it('compares prices in my currency only: a cheaper one in another currency is counted, never the lowest', () => {
    const result = computeStandings(
      given({
        items: [
          item(1, 'c-usd', { price: 3, currency: 'USD', mall: 'US Seller' }),
          item(2, 'mine-1', { price: 19_000, currency: 'USD' }),
          item(3, 'c-krw', { price: 18_000 }),
          item(4, 'c-jpy', { price: 500, currency: 'JPY' }),
        ],
      }),
    );
    expect(result.entries.map((entry) => entry.currency)).toEqual(['USD', 'USD', 'KRW', 'JPY']);
    expect(result.standings[0]).toMatchObject({
      currency: 'KRW',
      lowestCompetitorPrice: 18_000,
      lowestCompetitor: { externalId: 'c-krw', mall: 'mall-c-krw', rank: 3 },
      otherCurrencyCompetitors: 2,
      myPrice: 20_000,
      priceSource: 'catalog',
    });
  });

  it('keeps what the marketplace said of each listing, organic and unknown where it says nothing', () => {
    const result = computeStandings(
      given({
        items: [
          item(1, 'c-1', {
            sellerId: 'seller-1',
            availability: 'limited',
            reviewCount: 12,
            reviewRating: 4.5,
            placement: 'sponsored',
            condition: 'Used',
          }),
          item(2, 'c-2'),
        ],
      }),
    );
    expect(
      result.entries.map(({ sellerId, availability, reviewCount, reviewRating, placement, condition }) => ({
        sellerId,
        availability,
        reviewCount,
        reviewRating,
        placement,
        condition,
      })),
    ).toEqual([
      {
        sellerId: 'seller-1',
        availability: 'limited',
        reviewCount: 12,
        reviewRating: 4.5,
        placement: 'sponsored',
        condition: 'Used',
      },
      {
        sellerId: null,
        availability: null,
        reviewCount: null,
        reviewRating: null,
        placement: 'organic',
        condition: null,
      },
    ]);
  });
});
