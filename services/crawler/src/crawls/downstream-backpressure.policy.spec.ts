import { crawlsPaused, largestLag } from './downstream-backpressure.policy';

describe('downstream back-pressure', () => {
  it('Given crawls running, When the largest lag exceeds the maximum, Then they pause; at the maximum they do not', () => {
    expect(crawlsPaused(false, 1_001, 1_000)).toBe(true);
    expect(crawlsPaused(false, 1_000, 1_000)).toBe(false);
  });

  it('Given crawls paused, When the lag falls below the maximum but not to half of it, Then they stay paused', () => {
    expect(crawlsPaused(true, 999, 1_000)).toBe(true);
    expect(crawlsPaused(true, 501, 1_000)).toBe(true);
  });

  it('Given crawls paused, When the lag falls to half of the maximum, Then they resume', () => {
    expect(crawlsPaused(true, 500, 1_000)).toBe(false);
    expect(crawlsPaused(true, 0, 1_000)).toBe(false);
  });

  it('Given a maximum of 0, When any lag is read, Then crawls never pause', () => {
    expect(crawlsPaused(false, 1_000_000, 0)).toBe(false);
    expect(crawlsPaused(true, 1_000_000, 0)).toBe(false);
  });

  it('Given lags read and unread, When the largest is taken, Then an unread one counts as none (fail open)', () => {
    expect(
      largestLag([
        { consumer: 'ranking-crawl', pending: 40 },
        { consumer: 'alerting-ranking', pending: 2_000 },
      ]),
    ).toEqual({ consumer: 'alerting-ranking', pending: 2_000 });
    expect(
      largestLag([
        { consumer: 'ranking-crawl', pending: null },
        { consumer: 'alerting-ranking', pending: 3 },
      ]),
    ).toEqual({ consumer: 'alerting-ranking', pending: 3 });
    expect(largestLag([{ consumer: 'ranking-crawl', pending: null }])).toBeNull();
    expect(largestLag([])).toBeNull();
  });
});
