import fc from 'fast-check';
import { LOW_SUCCESS_RATE, MIN_CRAWLS_FOR_RATE, MarketplaceStateInput, marketplaceState } from './marketplace-state';

/** Consistent crawl counts: completed never above finished, the last 15 minutes within the last hour. */
const input: fc.Arbitrary<MarketplaceStateInput> = fc
  .record({
    breaker: fc.constantFrom('closed' as const, 'open' as const, 'halfOpen' as const),
    quotaPaused: fc.boolean(),
    everFinished: fc.boolean(),
    older: fc.nat(40),
    olderCompleted: fc.nat(40),
    recent: fc.nat(20),
    recentCompleted: fc.nat(20),
  })
  .map(({ breaker, quotaPaused, everFinished, older, olderCompleted, recent, recentCompleted }) => {
    const completedRecent = Math.min(recent, recentCompleted);
    const completedOlder = Math.min(older, olderCompleted);
    const finishedLastHour = everFinished ? older + recent : 0;
    return {
      breaker,
      quotaPaused,
      everFinished,
      finishedLast15Minutes: everFinished ? recent : 0,
      completedLast15Minutes: everFinished ? completedRecent : 0,
      finishedLastHour,
      completedLastHour: everFinished ? completedOlder + completedRecent : 0,
    };
  });

describe('marketplaceState properties', () => {
  it('is unknown exactly when no crawl ever finished', () => {
    fc.assert(fc.property(input, (given) => (marketplaceState(given) === 'unknown') === !given.everFinished));
  });

  it('is never ok while the breaker is open or the quota paused', () => {
    fc.assert(
      fc.property(input, (given) => {
        if (given.breaker === 'open' || given.quotaPaused) {
          expect(marketplaceState(given)).not.toBe('ok');
        }
      }),
    );
  });

  it('is unhealthy only when crawls finished in the last 15 minutes and none completed', () => {
    fc.assert(
      fc.property(input, (given) => {
        const unhealthy = marketplaceState(given) === 'unhealthy';
        const allFailed = given.finishedLast15Minutes > 0 && given.completedLast15Minutes === 0;
        expect(unhealthy).toBe(given.everFinished && allFailed);
      }),
    );
  });

  it('is ok whenever nothing is paused and the hour went well enough', () => {
    fc.assert(
      fc.property(input, (given) => {
        const rateFine =
          given.finishedLastHour < MIN_CRAWLS_FOR_RATE ||
          given.completedLastHour / given.finishedLastHour >= LOW_SUCCESS_RATE;
        const recentFine = given.finishedLast15Minutes === 0 || given.completedLast15Minutes > 0;
        if (given.everFinished && given.breaker !== 'open' && !given.quotaPaused && rateFine && recentFine) {
          expect(marketplaceState(given)).toBe('ok');
        }
      }),
    );
  });

  it('never gets better when one more crawl of the last 15 minutes fails', () => {
    const rank = { ok: 0, unknown: 0, degraded: 1, unhealthy: 2 } as const;
    fc.assert(
      fc.property(input, (given) => {
        const worse = {
          ...given,
          finishedLast15Minutes: given.finishedLast15Minutes + 1,
          finishedLastHour: given.finishedLastHour + 1,
        };
        expect(rank[marketplaceState(worse)]).toBeGreaterThanOrEqual(rank[marketplaceState(given)]);
      }),
    );
  });
});
