import { JITTER_RATIO, catchUpDueAt, firstDueAt, nextDueAt } from './schedule.policy';

const now = new Date('2026-11-22T10:00:00Z');

describe('crawl scheduling policy', () => {
  it('schedules the next crawl one interval later, jittered by at most ±10 %', () => {
    const hour = 3_600_000;
    expect(nextDueAt(now, 60, () => 0.5).getTime() - now.getTime()).toBe(hour);
    expect(nextDueAt(now, 60, () => 0).getTime() - now.getTime()).toBe(hour * (1 - JITTER_RATIO));
    expect(nextDueAt(now, 60, () => 0.999_999).getTime() - now.getTime()).toBeCloseTo(hour * (1 + JITTER_RATIO), -2);
  });

  it('spreads the first crawl of new keywords over at most the spread window', () => {
    expect(firstDueAt(now, 60, 300_000, () => 0)).toEqual(now);
    expect(firstDueAt(now, 60, 300_000, () => 0.5).getTime() - now.getTime()).toBe(150_000);
    // A 5-minute interval never waits longer than its interval.
    expect(firstDueAt(now, 5, 3_600_000, () => 0.999).getTime() - now.getTime()).toBeLessThan(300_000);
  });

  it('crawls a keyword due within its interval now, and re-spreads one that missed whole intervals', () => {
    const tenMinutesLate = new Date(now.getTime() - 10 * 60_000);
    expect(catchUpDueAt(now, tenMinutesLate, 60, 300_000, () => 0.5)).toBeNull();
    const missedADay = new Date(now.getTime() - 24 * 3_600_000);
    expect(catchUpDueAt(now, missedADay, 60, 300_000, () => 0.5)).toEqual(new Date(now.getTime() + 150_000));
  });
});
