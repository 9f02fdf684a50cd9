import { CrawlItem } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { OwnProduct, StandingsInput, computeStandings, normalizeMall } from './standings';

/** Few ids and malls, so that own products, exclusions and repeated listings collide often. */
const EXTERNAL_IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const MALLS = ['Alpha', 'beta', 'Gamma Store', 'delta'];
/** The shelf's own currency; a listing names it, another one, or none (then it is the shelf's). */
const SHELF_CURRENCY = 'KRW';
const CURRENCIES = ['KRW', 'USD'];

/** A mall name as a marketplace may spell it: any case, stray spaces. */
const spelledMall = fc
  .tuple(fc.constantFrom(...MALLS), fc.boolean(), fc.constantFrom('', ' ', '  '))
  .map(([mall, upper, pad]) => `${pad}${upper ? mall.toUpperCase() : mall}${pad}`);

/** A shelf in rank order 1..n; null (or a 0) is a listing the marketplace gave no price for; few prices, so ties occur. */
const shelf = fc
  .array(
    fc.record({
      externalId: fc.constantFrom(...EXTERNAL_IDS),
      mall: spelledMall,
      price: fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 1, max: 20 })),
      currency: fc.option(fc.constantFrom(...CURRENCIES), { nil: undefined }),
    }),
    { maxLength: 30 },
  )
  .map((listings) =>
    listings.map(({ currency, ...listing }, index): CrawlItem => ({
      ...listing,
      ...(currency === undefined ? {} : { currency }),
      rank: index + 1,
      title: `t-${listing.externalId}`,
      brand: 'brand',
      maker: 'maker',
      category: 'a>b',
      link: 'https://example.test/p',
      image: 'https://example.test/i.jpg',
      productType: '1',
    })),
  );

const input: fc.Arbitrary<StandingsInput> = fc
  .record({
    items: shelf,
    own: fc.subarray(EXTERNAL_IDS),
    excludedIds: fc.subarray(EXTERNAL_IDS),
    excludedMalls: fc.subarray(MALLS),
    previous: fc.array(fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }), {
      minLength: EXTERNAL_IDS.length,
      maxLength: EXTERNAL_IDS.length,
    }),
    knownBefore: fc.array(fc.boolean(), { minLength: EXTERNAL_IDS.length, maxLength: EXTERNAL_IDS.length }),
    price: fc.integer({ min: 1, max: 500 }),
    currency: fc.constantFrom(...CURRENCIES),
  })
  .map(({ items, own, excludedIds, excludedMalls, previous, knownBefore, price, currency }) => {
    const ownProducts = own.map((externalId): OwnProduct => ({
      productId: `p-${externalId}`,
      externalId,
      price,
      currency,
    }));
    const previousRanks = new Map<string, number | null>();
    ownProducts.forEach((product, i) => {
      if (knownBefore[i] === true) {
        previousRanks.set(product.productId, previous[i] ?? null);
      }
    });
    return {
      items,
      shelfCurrency: SHELF_CURRENCY,
      ownProducts,
      trackedProductIds: ownProducts.map((product) => product.productId),
      exclusions: { externalIds: new Set(excludedIds), malls: new Set(excludedMalls.map(normalizeMall)) },
      previousRanks,
    };
  });

function currencyOf(item: CrawlItem): string {
  return item.currency ?? SHELF_CURRENCY;
}

function isPricedCompetitor(item: CrawlItem, given: StandingsInput): item is CrawlItem & { price: number } {
  return isCompetitor(item, given) && item.price !== null && item.price > 0;
}

function isCompetitor(item: CrawlItem, given: StandingsInput): boolean {
  return (
    !given.ownProducts.some((product) => product.externalId === item.externalId) &&
    !given.exclusions.externalIds.has(item.externalId) &&
    !given.exclusions.malls.has(normalizeMall(item.mall))
  );
}

describe('computeStandings (properties)', () => {
  it('keeps the shelf as ranks 1..n, one entry per listing, and ranks each tracked product at its first listing', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { entries, standings } = computeStandings(given);
        expect(entries.map((entry) => entry.rank)).toEqual(given.items.map((_, i) => i + 1));
        expect(entries.map((entry) => entry.externalId)).toEqual(given.items.map((item) => item.externalId));
        expect(standings.map((standing) => standing.productId)).toEqual(given.trackedProductIds);
        for (const standing of standings) {
          const own = given.ownProducts.find((product) => product.productId === standing.productId);
          const first = given.items.find((item) => item.externalId === own?.externalId);
          expect(standing.rank).toBe(first?.rank ?? null);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('takes my price from my first listing priced in my currency (observed, with its mall), else the catalogue', () => {
    fc.assert(
      fc.property(input, (given) => {
        for (const standing of computeStandings(given).standings) {
          const own = given.ownProducts.find((product) => product.productId === standing.productId);
          const seen = given.items.find(
            (item) => item.externalId === own?.externalId && (item.price ?? 0) > 0 && currencyOf(item) === own.currency,
          );
          expect(standing.currency).toBe(own?.currency);
          expect([standing.myPrice, standing.priceSource, standing.observedMall, standing.catalogPrice]).toEqual(
            seen ? [seen.price, 'observed', seen.mall, own?.price] : [own?.price, 'catalog', null, own?.price],
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never takes an own or excluded listing (id or loosely spelled mall) for a competitor', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { entries, standings } = computeStandings(given);
        entries.forEach((entry, i) => {
          const item = given.items[i];
          expect(item).toBeDefined();
          const competitor = item !== undefined && isCompetitor(item, given);
          expect(entry.productId === null && !entry.excluded).toBe(competitor);
        });
        for (const standing of standings) {
          const cheapest = standing.lowestCompetitor;
          const listing = cheapest && given.items[cheapest.rank - 1];
          expect(listing === null || (listing !== undefined && isCompetitor(listing, given))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives as the lowest competitor price the minimum over competitors priced in my currency, at its best rank', () => {
    fc.assert(
      fc.property(input, (given) => {
        for (const standing of computeStandings(given).standings) {
          const priced = given.items.filter(
            (item) => isPricedCompetitor(item, given) && currencyOf(item) === standing.currency,
          );
          const lowest = priced.length === 0 ? null : Math.min(...priced.map((item) => item.price ?? 0));
          const holder = priced.find((item) => item.price === lowest);
          expect(standing.lowestCompetitorPrice).toBe(lowest);
          expect(standing.lowestCompetitor).toEqual(
            holder ? { externalId: holder.externalId, mall: holder.mall, rank: holder.rank } : null,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never takes a price in another currency for the lowest competitor, and counts those competitors', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { entries, standings } = computeStandings(given);
        for (const standing of standings) {
          const holder = standing.lowestCompetitor && entries[standing.lowestCompetitor.rank - 1];
          expect(holder === null || holder?.currency === standing.currency).toBe(true);
          const others = given.items.filter(
            (item) => isPricedCompetitor(item, given) && currencyOf(item) !== standing.currency,
          );
          expect(standing.otherCurrencyCompetitors).toBe(others.length);
        }
        expect(entries.map((entry) => entry.currency)).toEqual(given.items.map(currencyOf));
      }),
      { numRuns: 200 },
    );
  });

  it('reports change = previousRank − rank (positive: moved up) only when both ranks are known', () => {
    fc.assert(
      fc.property(input, (given) => {
        for (const standing of computeStandings(given).standings) {
          expect(standing.previousRank).toBe(given.previousRanks.get(standing.productId) ?? null);
          if (standing.rank === null || standing.previousRank === null) {
            expect(standing.change).toBeNull();
          } else {
            expect(standing.rank + (standing.change ?? Number.NaN)).toBe(standing.previousRank);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
