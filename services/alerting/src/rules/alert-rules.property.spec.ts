import { AlertRuleSettings, Standing } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { ShelfCompetitor, newCompetitor, priceUndercut, productMissing, rankDrop } from './alert-rules';

const price = fc.integer({ min: 0, max: 20_000 });
const rank = fc.integer({ min: 1, max: 60 });
const percent = fc.double({ min: 0, max: 100, noNaN: true });

/** A product's figures; competitor prices near mine (equal included) or far below, ranks often unknown. */
const standing: fc.Arbitrary<Standing> = fc
  .record({
    rank: fc.option(rank, { nil: null, freq: 3 }),
    previousRank: fc.option(rank, { nil: null, freq: 3 }),
    myPrice: price,
    offset: fc.option(
      fc.oneof(fc.constant(0), fc.integer({ min: -300, max: 300 }), fc.integer({ min: -20_000, max: 0 })),
      { nil: null, freq: 5 },
    ),
  })
  .map(({ offset, ...figures }) => {
    const lowestCompetitorPrice = offset === null ? null : Math.max(0, figures.myPrice + offset);
    return {
      productId: '00000000-0000-4000-8000-000000000001',
      ...figures,
      priceSource: 'catalog' as const,
      observedMall: null,
      catalogPrice: null,
      currency: 'KRW',
      otherCurrencyCompetitors: 0,
      change: figures.rank !== null && figures.previousRank !== null ? figures.previousRank - figures.rank : null,
      lowestCompetitorPrice,
      lowestCompetitor: lowestCompetitorPrice === null ? null : { externalId: 'c-1', mall: 'Mall One', rank: 1 },
    };
  });

const undercutRule: fc.Arbitrary<AlertRuleSettings['priceUndercut']> = fc.record({
  enabled: fc.constant(true),
  minPercent: fc.option(percent, { nil: null }),
  minAmount: fc.option(price, { nil: null }),
});

const dropRule: fc.Arbitrary<AlertRuleSettings['rankDrop']> = fc.record({
  enabled: fc.constant(true),
  minPlaces: fc.option(rank, { nil: null }),
  topK: fc.option(rank, { nil: null }),
});

/** A top list: distinct competitors from a small pool, at distinct ranks. */
const topList: fc.Arbitrary<ShelfCompetitor[]> = fc
  .uniqueArray(fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6'), { maxLength: 6 })
  .chain((ids) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: ids.length, maxLength: ids.length })
      .map((ranks) => ids.map((externalId, i) => ({ externalId, mall: `mall-${externalId}`, rank: ranks[i] ?? 1 }))),
  );

describe('alert rules (properties)', () => {
  it('price undercut never fires unless a competitor is strictly cheaper, whatever the thresholds', () => {
    fc.assert(
      fc.property(undercutRule, standing, (rule, figures) => {
        const cheaper = figures.lowestCompetitorPrice !== null && figures.lowestCompetitorPrice < figures.myPrice;
        if (!cheaper) {
          expect(priceUndercut(rule, figures)).toEqual({ kind: 'clear' });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('price undercut without thresholds fires on any strictly cheaper competitor', () => {
    fc.assert(
      fc.property(standing, (figures) => {
        const cheaper = figures.lowestCompetitorPrice !== null && figures.lowestCompetitorPrice < figures.myPrice;
        const outcome = priceUndercut({ enabled: true, minPercent: null, minAmount: null }, figures);
        expect(outcome.kind).toBe(cheaper ? 'active' : 'clear');
      }),
      { numRuns: 300 },
    );
  });

  it('price undercut is monotonic: a lower threshold or a cheaper competitor never turns an alert off', () => {
    fc.assert(
      fc.property(
        undercutRule,
        standing,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 500 }),
        (rule, figures, shrink, cheaperBy) => {
          if (priceUndercut(rule, figures).kind !== 'active') {
            return;
          }
          const laxer = {
            ...rule,
            minPercent: rule.minPercent === null ? null : rule.minPercent * shrink,
            minAmount: rule.minAmount === null ? null : Math.floor(rule.minAmount * shrink),
          };
          const cheaper = {
            ...figures,
            lowestCompetitorPrice: Math.max(0, (figures.lowestCompetitorPrice ?? 0) - cheaperBy),
          };
          expect(priceUndercut(laxer, figures).kind).toBe('active');
          expect(priceUndercut(rule, cheaper).kind).toBe('active');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('price undercut fires from exactly the threshold gap (percent or amount), and not one unit below it', () => {
    fc.assert(
      fc.property(
        standing,
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        (figures, myPrice, threshold, byPercent) => {
          const gap = byPercent ? Math.ceil((threshold * myPrice) / 100) : threshold;
          fc.pre(gap > 1 && gap <= myPrice);
          const rule = {
            enabled: true,
            minPercent: byPercent ? threshold : null,
            minAmount: byPercent ? null : threshold,
          };
          const at = { ...figures, myPrice, lowestCompetitorPrice: myPrice - gap };
          const below = { ...figures, myPrice, lowestCompetitorPrice: myPrice - gap + 1 };
          expect(priceUndercut(rule, at).kind).toBe('active');
          expect(priceUndercut(rule, below).kind).toBe('clear');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rank drop never fires on a product that held or improved its rank, and is unknown off the shelf', () => {
    fc.assert(
      fc.property(dropRule, standing, fc.option(rank, { nil: null }), (rule, figures, baseline) => {
        const outcome = rankDrop(rule, figures, baseline);
        const reference = baseline ?? figures.previousRank;
        if (figures.rank === null || reference === null) {
          expect(outcome).toEqual({ kind: 'unknown' });
        } else if (figures.rank <= reference) {
          expect(outcome).toEqual({ kind: 'clear' });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rank drop is monotonic: fewer places or a wider-reaching fall never turn an alert off', () => {
    fc.assert(
      fc.property(dropRule, standing, fc.integer({ min: 0, max: 20 }), (rule, figures, fallsFurther) => {
        if (rankDrop(rule, figures, null).kind !== 'active') {
          return;
        }
        const laxer = { ...rule, minPlaces: rule.minPlaces === null ? null : Math.max(1, rule.minPlaces - 1) };
        const lower = { ...figures, rank: (figures.rank ?? 0) + fallsFurther };
        expect(rankDrop(laxer, figures, null).kind).toBe('active');
        expect(rankDrop(rule, lower, null).kind).toBe('active');
      }),
      { numRuns: 300 },
    );
  });

  it('rank drop fires when a product leaves the top K it was in, however few places it fell', () => {
    fc.assert(
      fc.property(standing, rank, fc.integer({ min: 0, max: 59 }), rank, (figures, topK, above, fell) => {
        const inTopK = { ...figures, previousRank: Math.max(1, topK - above), rank: topK + fell };
        expect(rankDrop({ enabled: true, minPlaces: null, topK }, inTopK, null).kind).toBe('active');
      }),
      { numRuns: 200 },
    );
  });

  it('product missing fires exactly when the product is not on the shelf', () => {
    fc.assert(
      fc.property(standing, (figures) => {
        expect(productMissing(figures).kind).toBe(figures.rank === null ? 'active' : 'clear');
      }),
      { numRuns: 300 },
    );
  });

  it('new competitor names only competitors in the top N now that were not in it before, and fires when there are any', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), topList, topList, (topN, previous, current) => {
        const outcome = newCompetitor({ enabled: true, topN }, { previous, current }, null);
        const before = new Set(previous.filter((c) => c.rank <= topN).map((c) => c.externalId));
        const entrants = current.filter((c) => c.rank <= topN && !before.has(c.externalId)).map((c) => c.externalId);
        if (entrants.length === 0) {
          expect(outcome).toEqual({ kind: 'clear' });
        } else {
          expect(outcome.kind === 'active' && String(outcome.details.entrants).split(',').sort()).toEqual(
            entrants.sort(),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
