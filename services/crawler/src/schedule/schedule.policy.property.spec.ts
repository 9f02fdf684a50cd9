import fc from 'fast-check';
import { CATCH_UP_SPREAD_MS } from './crawl.scheduler';
import { JITTER_RATIO, catchUpDueAt, firstDueAt, nextDueAt } from './schedule.policy';

const MINUTE = 60_000;
const FIRST_SPREAD_MS = 5 * MINUTE;

/** A repeatable stream of `Math.random()` values. */
function randomFrom(values: readonly number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

const schedule = fc.record({
  intervals: fc.array(fc.integer({ min: 5, max: 60 }), { minLength: 1, maxLength: 4 }),
  tickMs: fc.integer({ min: 5_000, max: 2 * MINUTE }),
  randoms: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 16 }),
  /** The scheduler is down from `at` for `minutes` (no ticks), as after a crash or a deploy. */
  outage: fc.option(fc.record({ at: fc.integer({ min: 0, max: 200 }), minutes: fc.integer({ min: 1, max: 240 }) }), {
    nil: null,
  }),
});

interface Run {
  keyword: number;
  at: number;
}

/**
 * The crawler's scheduler loop as `CrawlScheduler.scheduleDue()` runs it, with a clock: every tick, each due keyword
 * runs or is re-spread.
 */
function simulate({ intervals, tickMs, randoms, outage }: typeof schedule extends fc.Arbitrary<infer T> ? T : never) {
  const random = randomFrom(randoms);
  const horizon = 6 * 60 * MINUTE;
  const due = intervals.map((interval) => firstDueAt(new Date(0), interval, FIRST_SPREAD_MS, random).getTime());
  const runs: Run[] = [];
  /** Each keyword's due time when the scheduler first ticks again after the outage. */
  let dueWhenBack: number[] | null = null;
  const down = outage && { from: outage.at * MINUTE, to: (outage.at + outage.minutes) * MINUTE };
  for (let now = 0; now <= horizon; now += tickMs) {
    if (down && now >= down.from && now < down.to) {
      continue;
    }
    if (down && now >= down.to && dueWhenBack === null) {
      dueWhenBack = [...due];
    }
    intervals.forEach((interval, keyword) => {
      if ((due[keyword] ?? Infinity) > now) {
        return;
      }
      const later = catchUpDueAt(new Date(now), new Date(due[keyword] ?? 0), interval, CATCH_UP_SPREAD_MS, random);
      if (later) {
        due[keyword] = later.getTime();
        return;
      }
      runs.push({ keyword, at: now });
      due[keyword] = nextDueAt(new Date(now), interval, random).getTime();
    });
  }
  return { runs, horizon, down, dueWhenBack };
}

function runsOf(runs: readonly Run[], keyword: number): number[] {
  return runs.filter((run) => run.keyword === keyword).map((run) => run.at);
}

describe('crawl schedule spread (properties)', () => {
  it('never runs a keyword twice within (1 − jitter) of its interval, downtime or not', () => {
    fc.assert(
      fc.property(schedule, (given) => {
        const { runs } = simulate(given);
        given.intervals.forEach((interval, keyword) => {
          const at = runsOf(runs, keyword);
          at.slice(1).forEach((run, i) => {
            // Runs are whole milliseconds; the bound's float product may not be (0.9 × 57 min = 3,078,000.0000000005).
            expect(run - (at[i] ?? -Infinity)).toBeGreaterThanOrEqual(
              Math.floor((1 - JITTER_RATIO) * interval * MINUTE),
            );
          });
        });
      }),
      { numRuns: 100 },
    );
  });

  it('runs every keyword once per interval (within jitter and one tick), its first run within the spread window', () => {
    fc.assert(
      fc.property(schedule, (given) => {
        const { runs, horizon } = simulate({ ...given, outage: null });
        given.intervals.forEach((interval, keyword) => {
          const at = [...runsOf(runs, keyword), horizon];
          expect(at[0]).toBeLessThanOrEqual(Math.min(interval * MINUTE, FIRST_SPREAD_MS) + given.tickMs);
          at.slice(1).forEach((run, i) => {
            expect(run - (at[i] ?? Infinity)).toBeLessThanOrEqual(
              Math.ceil((1 + JITTER_RATIO) * interval * MINUTE) + given.tickMs,
            );
          });
        });
      }),
      { numRuns: 100 },
    );
  });

  it('after downtime, re-spreads a keyword that missed a whole interval over the catch-up window, and runs the others when due', () => {
    fc.assert(
      fc.property(schedule, (given) => {
        const { runs, horizon, down, dueWhenBack } = simulate(given);
        if (!down || dueWhenBack === null) {
          return;
        }
        const back = Math.ceil(down.to / given.tickMs) * given.tickMs;
        given.intervals.forEach((interval, keyword) => {
          const due = dueWhenBack[keyword] ?? Number.NaN;
          const next = runsOf(runs, keyword).find((run) => run >= back) ?? Infinity;
          const respread = back - due > interval * MINUTE;
          const latest = respread
            ? back + Math.min(interval * MINUTE, CATCH_UP_SPREAD_MS) + given.tickMs
            : Math.max(back, due) + given.tickMs;
          if (latest <= horizon) {
            expect(next).toBeLessThanOrEqual(latest);
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('re-spreads only a keyword late by more than its interval, later for a larger draw, within the catch-up window', () => {
    const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 1_440 }),
        fc.integer({ min: 0, max: 3 * 1_440 }),
        draw,
        draw,
        (interval, lateMinutes, a, b) => {
          const now = new Date('2026-11-22T10:00:00Z');
          const dueAt = new Date(now.getTime() - lateMinutes * MINUTE);
          const [low, high] = [Math.min(a, b), Math.max(a, b)];
          const early = catchUpDueAt(now, dueAt, interval, CATCH_UP_SPREAD_MS, () => low);
          const later = catchUpDueAt(now, dueAt, interval, CATCH_UP_SPREAD_MS, () => high);
          if (lateMinutes <= interval) {
            expect([early, later]).toEqual([null, null]);
            return;
          }
          const window = Math.min(interval * MINUTE, CATCH_UP_SPREAD_MS);
          expect(early?.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(later?.getTime()).toBeLessThanOrEqual(now.getTime() + window);
          expect(later?.getTime()).toBeGreaterThanOrEqual(early?.getTime() ?? Infinity);
        },
      ),
      { numRuns: 300 },
    );
  });
});
