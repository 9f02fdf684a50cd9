import { AlertRuleSettings, Standing } from '@shelfwatch/contracts';
import { ShelfCompetitor, newCompetitor, priceUndercut, productMissing, rankDrop } from './alert-rules';

const P1 = '00000000-0000-4000-8000-000000000001';

function aStanding(overrides: Partial<Standing> = {}): Standing {
  return {
    productId: P1,
    rank: 3,
    previousRank: 3,
    change: 0,
    myPrice: 10_000,
    priceSource: 'catalog' as const,
    observedMall: null,
    catalogPrice: null,
    currency: 'KRW',
    otherCurrencyCompetitors: 0,
    lowestCompetitorPrice: 10_000,
    lowestCompetitor: { externalId: 'c-1', mall: 'Mall One', rank: 1 },
    ...overrides,
  };
}

const undercut = (overrides: Partial<AlertRuleSettings['priceUndercut']> = {}): AlertRuleSettings['priceUndercut'] => ({
  enabled: true,
  minPercent: null,
  minAmount: null,
  ...overrides,
});

describe('price undercut', () => {
  it('given an equal competitor price, when judged, then there is no undercut', () => {
    expect(priceUndercut(undercut(), aStanding({ lowestCompetitorPrice: 10_000 }))).toEqual({ kind: 'clear' });
  });

  it('given no threshold and a competitor one unit below, when judged, then it is an undercut with the figures', () => {
    const outcome = priceUndercut(undercut(), aStanding({ lowestCompetitorPrice: 9_999 }));
    expect(outcome).toMatchObject({
      kind: 'active',
      details: { myPrice: 10_000, competitorPrice: 9_999, gap: 1, competitorMall: 'Mall One', competitorRank: 1 },
    });
  });

  it('given my observed shelf price above a competitor my catalogue price is below, then it is an undercut', () => {
    const observed = aStanding({
      myPrice: 12_000,
      priceSource: 'observed',
      observedMall: 'My Store',
      catalogPrice: 10_000,
      currency: 'KRW',
      otherCurrencyCompetitors: 0,
      lowestCompetitorPrice: 11_000,
    });
    expect(priceUndercut(undercut(), observed)).toMatchObject({
      kind: 'active',
      details: { myPrice: 12_000, priceSource: 'observed', observedMall: 'My Store', gap: 1_000 },
    });
  });

  it('given my observed shelf price below a competitor my catalogue price is above, then there is no undercut', () => {
    const observed = aStanding({
      myPrice: 10_000,
      priceSource: 'observed',
      observedMall: 'My Store',
      catalogPrice: 12_000,
      currency: 'KRW',
      otherCurrencyCompetitors: 0,
      lowestCompetitorPrice: 11_000,
    });
    expect(priceUndercut(undercut(), observed)).toEqual({ kind: 'clear' });
  });

  it('given a 5 % threshold, when the gap is exactly 5 %, then it fires; at 4.99 % it does not', () => {
    expect(priceUndercut(undercut({ minPercent: 5 }), aStanding({ lowestCompetitorPrice: 9_500 })).kind).toBe('active');
    expect(priceUndercut(undercut({ minPercent: 5 }), aStanding({ lowestCompetitorPrice: 9_501 })).kind).toBe('clear');
  });

  it('given a fractional percent threshold that floating point would miss, when exactly met, then it fires', () => {
    // 0.07 * 100 is 7.000000000000001 in floating point; the comparison must not depend on it.
    expect(
      priceUndercut(undercut({ minPercent: 7 }), aStanding({ myPrice: 100, lowestCompetitorPrice: 93 })).kind,
    ).toBe('active');
  });

  it('given an absolute threshold of 500, when the gap is exactly 500, then it fires; at 499 it does not', () => {
    expect(priceUndercut(undercut({ minAmount: 500 }), aStanding({ lowestCompetitorPrice: 9_500 })).kind).toBe(
      'active',
    );
    expect(priceUndercut(undercut({ minAmount: 500 }), aStanding({ lowestCompetitorPrice: 9_501 })).kind).toBe('clear');
  });

  it('given both thresholds, when only one is met, then it fires (either suffices)', () => {
    const rule = undercut({ minPercent: 50, minAmount: 100 });
    expect(priceUndercut(rule, aStanding({ lowestCompetitorPrice: 9_900 })).kind).toBe('active');
  });

  it('given no priced competitor on the shelf, when judged, then it is clear', () => {
    expect(priceUndercut(undercut(), aStanding({ lowestCompetitorPrice: null, lowestCompetitor: null }))).toEqual({
      kind: 'clear',
    });
  });

  it('given a competitor above my price, when judged, then it is clear', () => {
    expect(priceUndercut(undercut(), aStanding({ lowestCompetitorPrice: 12_000 })).kind).toBe('clear');
  });

  it('given a same-currency competitor 5 % below, when judged, then message and details carry the currency', () => {
    const won = priceUndercut(undercut(), aStanding({ myPrice: 60_000, lowestCompetitorPrice: 57_000 }));
    expect(won).toMatchObject({
      kind: 'active',
      message: 'A competitor (Mall One) is 5% (₩3,000) below your price',
      details: { currency: 'KRW', myPrice: 60_000, competitorPrice: 57_000, gap: 3_000 },
    });
    const dollars = priceUndercut(
      undercut(),
      aStanding({ currency: 'USD', myPrice: 60, lowestCompetitorPrice: 57, otherCurrencyCompetitors: 4 }),
    );
    expect(dollars).toMatchObject({
      message: 'A competitor (Mall One) is 5% ($3.00) below your price',
      details: { currency: 'USD', gap: 3, otherCurrencyCompetitors: 4 },
    });
  });

  it('given competitors priced only in other currencies, when judged, then no undercut and it says why', () => {
    const outcome = priceUndercut(
      undercut(),
      aStanding({ lowestCompetitorPrice: null, lowestCompetitor: null, otherCurrencyCompetitors: 3 }),
    );
    expect(outcome).toEqual({
      kind: 'clear',
      explanation: '3 competitor(s) priced in other currencies than KRW: not compared',
    });
  });
});

const drop = (overrides: Partial<AlertRuleSettings['rankDrop']> = {}): AlertRuleSettings['rankDrop'] => ({
  enabled: true,
  minPlaces: 5,
  topK: null,
  ...overrides,
});

describe('rank drop', () => {
  it('given a drop of exactly the threshold, when judged, then it fires against the previous rank', () => {
    expect(rankDrop(drop(), aStanding({ previousRank: 3, rank: 8 }), null)).toMatchObject({
      kind: 'active',
      details: { baselineRank: 3, rank: 8, placesDropped: 5 },
    });
  });

  it('given a drop one place short of the threshold, when judged, then it is clear', () => {
    expect(rankDrop(drop(), aStanding({ previousRank: 3, rank: 7 }), null).kind).toBe('clear');
  });

  it('given a top 10, when the product goes from 10 to 11, then it fires; from 11 to 12 it does not', () => {
    const rule = drop({ minPlaces: null, topK: 10 });
    expect(rankDrop(rule, aStanding({ previousRank: 10, rank: 11 }), null).kind).toBe('active');
    expect(rankDrop(rule, aStanding({ previousRank: 11, rank: 12 }), null).kind).toBe('clear');
    expect(rankDrop(rule, aStanding({ previousRank: 9, rank: 10 }), null).kind).toBe('clear');
  });

  it('given an open alert, when the rank stays down without falling further, then it stays active', () => {
    expect(rankDrop(drop(), aStanding({ previousRank: 8, rank: 8 }), 3).kind).toBe('active');
  });

  it('given an open alert, when the product recovers to within the threshold, then it clears', () => {
    expect(rankDrop(drop(), aStanding({ previousRank: 8, rank: 4 }), 3).kind).toBe('clear');
  });

  it('given the product is missing or has no previous rank, when judged, then the rule cannot tell', () => {
    expect(rankDrop(drop(), aStanding({ previousRank: 3, rank: null }), null).kind).toBe('unknown');
    expect(rankDrop(drop(), aStanding({ previousRank: null, rank: 40 }), null).kind).toBe('unknown');
  });

  it('given the product moved up, when judged, then it is clear', () => {
    expect(rankDrop(drop({ topK: 10 }), aStanding({ previousRank: 9, rank: 2 }), null).kind).toBe('clear');
  });
});

describe('product missing', () => {
  it('given no rank on a successful crawl, when judged, then it fires', () => {
    expect(productMissing(aStanding({ rank: null, previousRank: 4 }))).toMatchObject({
      kind: 'active',
      details: { previousRank: 4 },
    });
  });

  it('given the product is on the shelf, even last, when judged, then it is clear', () => {
    expect(productMissing(aStanding({ rank: 1_100 })).kind).toBe('clear');
  });
});

function c(externalId: string, rank: number): ShelfCompetitor {
  return { externalId, mall: `mall ${externalId}`, rank };
}

describe('new competitor', () => {
  const rule = { enabled: true, topN: 3 };

  it('given the first crawl of a keyword, when judged, then there is nothing to compare with', () => {
    expect(newCompetitor(rule, { previous: null, current: [c('a', 1)] }, null).kind).toBe('unknown');
  });

  it('given someone new at exactly rank N, when judged, then it fires naming the entrant', () => {
    const outcome = newCompetitor(
      rule,
      { previous: [c('a', 1), c('b', 2)], current: [c('a', 1), c('b', 2), c('x', 3)] },
      null,
    );
    expect(outcome).toMatchObject({ kind: 'active', details: { topN: 3, entrants: 'x', bestEntrantRank: 3 } });
  });

  it('given someone new at rank N + 1, when judged, then it is clear', () => {
    expect(newCompetitor(rule, { previous: [c('a', 1)], current: [c('a', 1), c('x', 4)] }, null).kind).toBe('clear');
  });

  it('given a competitor moving up from N + 1 into the top N, when judged, then it counts as entering', () => {
    expect(newCompetitor(rule, { previous: [c('a', 1), c('x', 4)], current: [c('x', 2), c('a', 1)] }, null).kind).toBe(
      'active',
    );
  });

  it('given the same top N in another order, when judged, then it is clear', () => {
    expect(newCompetitor(rule, { previous: [c('a', 1), c('b', 2)], current: [c('b', 1), c('a', 2)] }, null).kind).toBe(
      'clear',
    );
  });

  it('given an open alert, when its entrant is still in the top N, then it stays active; once gone, it clears', () => {
    const shelf = { previous: [c('x', 2)], current: [c('x', 2)] };
    expect(newCompetitor(rule, shelf, ['x']).kind).toBe('active');
    expect(newCompetitor(rule, { previous: [c('x', 2)], current: [c('a', 1)] }, ['x']).kind).toBe('clear');
  });
});
