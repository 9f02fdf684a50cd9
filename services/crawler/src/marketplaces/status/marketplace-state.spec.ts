import { MarketplaceStateInput, marketplaceState, successRate } from './marketplace-state';

/** A marketplace with a healthy hour behind it; each test overrides what it is about. */
function given(overrides: Partial<MarketplaceStateInput> = {}): MarketplaceStateInput {
  return {
    breaker: 'closed',
    quotaPaused: false,
    everFinished: true,
    finishedLast15Minutes: 3,
    completedLast15Minutes: 3,
    finishedLastHour: 10,
    completedLastHour: 10,
    ...overrides,
  };
}

describe('marketplaceState', () => {
  it('is unknown before any crawl of the marketplace finished, whatever the breaker says', () => {
    const none = { finishedLast15Minutes: 0, completedLast15Minutes: 0, finishedLastHour: 0, completedLastHour: 0 };
    expect(marketplaceState(given({ everFinished: false, ...none }))).toBe('unknown');
    expect(marketplaceState(given({ everFinished: false, ...none, breaker: 'open' }))).toBe('unknown');
  });

  it('is ok with crawls completing and nothing paused', () => {
    expect(marketplaceState(given())).toBe('ok');
  });

  it('is ok when crawls finished long ago and none since (a quiet hour is not an outage)', () => {
    expect(
      marketplaceState(
        given({ finishedLast15Minutes: 0, completedLast15Minutes: 0, finishedLastHour: 0, completedLastHour: 0 }),
      ),
    ).toBe('ok');
  });

  it('is unhealthy when every crawl of the last 15 minutes failed', () => {
    expect(marketplaceState(given({ finishedLast15Minutes: 4, completedLast15Minutes: 0 }))).toBe('unhealthy');
  });

  it('is degraded, not unhealthy, when one crawl of the last 15 minutes completed while the breaker is open', () => {
    expect(marketplaceState(given({ finishedLast15Minutes: 4, completedLast15Minutes: 1, breaker: 'open' }))).toBe(
      'degraded',
    );
  });

  it('is degraded while the quota pauses every request', () => {
    expect(marketplaceState(given({ quotaPaused: true }))).toBe('degraded');
  });

  it('is degraded when fewer than half of at least 5 crawls of the hour completed', () => {
    expect(marketplaceState(given({ finishedLastHour: 5, completedLastHour: 2 }))).toBe('degraded');
    expect(marketplaceState(given({ finishedLastHour: 5, completedLastHour: 3 }))).toBe('ok');
    expect(marketplaceState(given({ finishedLastHour: 4, completedLastHour: 1 }))).toBe('ok');
  });

  it('is ok with the breaker half open (a trial request is on its way)', () => {
    expect(marketplaceState(given({ breaker: 'halfOpen' }))).toBe('ok');
  });
});

describe('successRate', () => {
  it('is null when nothing finished, else completed over finished', () => {
    expect(successRate(0, 0)).toBeNull();
    expect(successRate(3, 4)).toBe(0.75);
  });
});
