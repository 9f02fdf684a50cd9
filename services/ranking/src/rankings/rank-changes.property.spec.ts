import { Standing } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { rankChanges } from './rank-changes';

const ref = {
  crawlId: '0193a000-0000-7000-8000-000000000001',
  keywordId: '0193a000-0000-7000-8000-000000000002',
  orderFidelity: 'exact' as const,
};
const SHELF_SIZE = 12;

/** One tracked product across two crawls: unknown before (first crawl, newly tracked), absent or ranked. */
const history = fc.record({
  knownBefore: fc.boolean(),
  before: fc.option(fc.integer({ min: 1, max: SHELF_SIZE }), { nil: null }),
  now: fc.option(fc.integer({ min: 1, max: SHELF_SIZE }), { nil: null }),
});

const scenario = fc.record({ products: fc.array(history, { maxLength: 8 }) }).map(({ products }) => {
  const previousRanks = new Map<string, number | null>();
  const standings = products.map((product, i): Standing => {
    const productId = `p-${i}`;
    if (product.knownBefore) {
      previousRanks.set(productId, product.before);
    }
    const previousRank = product.knownBefore ? product.before : null;
    return {
      productId,
      rank: product.now,
      previousRank,
      change: product.now !== null && previousRank !== null ? previousRank - product.now : null,
      myPrice: 100 + i,
      priceSource: product.now !== null && i % 2 === 0 ? 'observed' : 'catalog',
      observedMall: product.now !== null && i % 2 === 0 ? 'm' : null,
      catalogPrice: 100,
      currency: ['KRW', 'USD', 'JPY'][i % 3] ?? 'KRW',
      lowestCompetitorPrice: null,
      otherCurrencyCompetitors: 0,
      lowestCompetitor: null,
    };
  });
  return { standings, previousRanks };
});

describe('rankChanges (properties)', () => {
  it('reports exactly the products known before whose rank differs, with both ranks as they stand', () => {
    fc.assert(
      fc.property(scenario, ({ standings, previousRanks }) => {
        const changes = rankChanges(ref, standings, previousRanks);
        const expected = standings.filter(
          (standing) =>
            previousRanks.has(standing.productId) && previousRanks.get(standing.productId) !== standing.rank,
        );
        expect(changes.map((change) => change.productId)).toEqual(expected.map((standing) => standing.productId));
        for (const change of changes) {
          expect(change.previousRank).not.toBe(change.currentRank);
          expect(change.previousRank).toBe(previousRanks.get(change.productId));
          expect(change.currentRank).toBe(standings.find((s) => s.productId === change.productId)?.rank);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports nothing at a first crawl, whatever the current shelf', () => {
    fc.assert(
      fc.property(scenario, ({ standings }) => {
        expect(rankChanges(ref, standings, new Map())).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('reports a product that left the shelf as gone (no current rank, its catalogue price), and one that came back', () => {
    fc.assert(
      fc.property(scenario, ({ standings, previousRanks }) => {
        const changes = rankChanges(ref, standings, previousRanks);
        for (const standing of standings) {
          const before = previousRanks.get(standing.productId);
          const change = changes.find((c) => c.productId === standing.productId);
          if (typeof before === 'number' && standing.rank === null) {
            expect(change).toEqual({
              ...ref,
              productId: standing.productId,
              previousRank: before,
              currentRank: null,
              price: standing.myPrice,
              currency: standing.currency,
              priceSource: 'catalog',
              observedMall: null,
              revised: false,
            });
          }
          if (before === null && standing.rank !== null) {
            expect(change).toMatchObject({ previousRank: null, currentRank: standing.rank });
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("carries my price at the crawl, its currency and where it comes from, and the crawl's order fidelity", () => {
    fc.assert(
      fc.property(scenario, ({ standings, previousRanks }) => {
        for (const change of rankChanges(ref, standings, previousRanks)) {
          const standing = standings.find((s) => s.productId === change.productId);
          expect([change.price, change.currency, change.priceSource, change.observedMall]).toEqual([
            standing?.myPrice,
            standing?.currency,
            standing?.priceSource,
            standing?.observedMall,
          ]);
          expect(change.orderFidelity).toBe(ref.orderFidelity);
        }
      }),
      { numRuns: 300 },
    );
  });
});
