import { CrawlItem } from '@shelfwatch/contracts';
import { aCrawlItem } from '@shelfwatch/testing';
import fc from 'fast-check';
import { OwnProduct, StandingsInput, computeStandings, normalizeMall } from './standings';

/**
 * Exclusions and own products against an oracle of their own: which mall a listing belongs to is known from the
 * name it was spelled from, never from `normalizeMall`, so a normalisation that stops matching is caught.
 */
const EXTERNAL_IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const MALLS = ['Alpha', 'beta', 'Gamma Store'];
const TRACKED = 'mine';

/** A mall name as a marketplace or a tenant may spell it: any case, stray spaces either side. */
const spelling = fc.record({
  upper: fc.boolean(),
  before: fc.constantFrom('', ' ', '\t'),
  after: fc.constantFrom('', ' ', '  '),
});
const spell = (mall: string, way: { upper: boolean; before: string; after: string }): string =>
  `${way.before}${way.upper ? mall.toUpperCase() : mall.toLowerCase()}${way.after}`;

interface Listing {
  externalId: string;
  mall: string;
  way: { upper: boolean; before: string; after: string };
  price: number | null;
}
const listing: fc.Arbitrary<Listing> = fc.record({
  externalId: fc.constantFrom(...EXTERNAL_IDS),
  mall: fc.constantFrom(...MALLS),
  way: spelling,
  price: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 20 })),
});

function item(drawn: Listing, rank: number): CrawlItem {
  return aCrawlItem(rank, drawn.externalId, { mall: spell(drawn.mall, drawn.way), price: drawn.price });
}

interface Case {
  listings: Listing[];
  own: string[];
  excludedIds: string[];
  /** Malls the tenant excluded, as typed: stored the way the exclusions service stores them. */
  excludedMalls: { mall: string; way: Listing['way'] }[];
}
const drawnCase: fc.Arbitrary<Case> = fc.record({
  listings: fc.array(listing, { maxLength: 25 }),
  own: fc.subarray(EXTERNAL_IDS, { maxLength: 3 }),
  excludedIds: fc.subarray(EXTERNAL_IDS, { maxLength: 2 }),
  excludedMalls: fc.uniqueArray(fc.record({ mall: fc.constantFrom(...MALLS), way: spelling }), {
    selector: (excluded) => excluded.mall,
    maxLength: 2,
  }),
});

function inputOf(drawn: Case, listings: readonly Listing[] = drawn.listings): StandingsInput {
  // The tracked product is listed under an id of its own, so that every drawn case has one standing.
  const ownProducts: OwnProduct[] = [
    { productId: TRACKED, externalId: 'tracked', price: 10, currency: 'KRW' },
    ...drawn.own.map((externalId) => ({ productId: `p-${externalId}`, externalId, price: 10, currency: 'KRW' })),
  ];
  return {
    items: listings.map((drawnListing, index) => item(drawnListing, index + 1)),
    shelfCurrency: 'KRW',
    ownProducts,
    trackedProductIds: [TRACKED],
    exclusions: {
      externalIds: new Set(drawn.excludedIds),
      malls: new Set(drawn.excludedMalls.map((excluded) => normalizeMall(spell(excluded.mall, excluded.way)))),
    },
    previousRanks: new Map(),
  };
}

/** A competitor by the oracle: not own, not an excluded id, not of a mall the tenant excluded (by name, not spelling). */
function isCompetitor(drawn: Case, candidate: Listing): boolean {
  return (
    !drawn.own.includes(candidate.externalId) &&
    !drawn.excludedIds.includes(candidate.externalId) &&
    !drawn.excludedMalls.some((excluded) => excluded.mall === candidate.mall)
  );
}

describe('standings: exclusions and own products (properties)', () => {
  it('never takes an own listing, an excluded id or an excluded mall however spelled for the lowest competitor', () => {
    fc.assert(
      fc.property(drawnCase, (drawn) => {
        const [standing] = computeStandings(inputOf(drawn)).standings;
        const cheapest = standing?.lowestCompetitor;
        if (cheapest) {
          const chosen = drawn.listings[cheapest.rank - 1];
          expect(chosen && isCompetitor(drawn, chosen)).toBe(true);
        }
        const competitorPrices = drawn.listings
          .filter((candidate) => isCompetitor(drawn, candidate))
          .flatMap((candidate) => (candidate.price === null ? [] : [candidate.price]));
        // Whatever else decides which competitors count, none is cheaper than all of them.
        if (standing?.lowestCompetitorPrice !== null && standing?.lowestCompetitorPrice !== undefined) {
          expect(standing.lowestCompetitorPrice).toBeGreaterThanOrEqual(Math.min(...competitorPrices));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('marks exactly the listings of excluded ids and malls (however spelled) excluded, and own listings as mine', () => {
    fc.assert(
      fc.property(drawnCase, (drawn) => {
        const { entries } = computeStandings(inputOf(drawn));
        expect(entries.map((entry) => [entry.rank, entry.excluded, entry.productId])).toEqual(
          drawn.listings.map((candidate, index) => [
            index + 1,
            drawn.excludedIds.includes(candidate.externalId) ||
              drawn.excludedMalls.some((excluded) => excluded.mall === candidate.mall),
            drawn.own.includes(candidate.externalId) ? `p-${candidate.externalId}` : null,
          ]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the lowest competitor when an own or excluded listing, however cheap, is put anywhere on the shelf', () => {
    fc.assert(
      fc.property(
        drawnCase,
        listing,
        fc.nat(),
        fc.constantFrom('own', 'excluded id', 'excluded mall'),
        (drawn, extra, where, kind) => {
          fc.pre(kind !== 'own' || drawn.own.length > 0);
          fc.pre(kind !== 'excluded id' || drawn.excludedIds.length > 0);
          fc.pre(kind !== 'excluded mall' || drawn.excludedMalls.length > 0);
          const intruder: Listing = {
            ...extra,
            price: 1,
            externalId:
              kind === 'own'
                ? (drawn.own[0] ?? '')
                : kind === 'excluded id'
                  ? (drawn.excludedIds[0] ?? '')
                  : 'intruder',
            mall: kind === 'excluded mall' ? (drawn.excludedMalls[0]?.mall ?? '') : extra.mall,
          };
          const at = where % (drawn.listings.length + 1);
          const withIntruder = [...drawn.listings.slice(0, at), intruder, ...drawn.listings.slice(at)];
          const before = computeStandings(inputOf(drawn)).standings[0];
          const after = computeStandings(inputOf(drawn, withIntruder)).standings[0];
          expect([after?.lowestCompetitorPrice, after?.lowestCompetitor?.externalId]).toEqual([
            before?.lowestCompetitorPrice,
            before?.lowestCompetitor?.externalId,
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
