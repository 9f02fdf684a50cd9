import { dueAfterIntervalChange, dueOnResume, isNewer, reschedule } from './schedule.rules';

const now = new Date('2026-12-03T10:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number): Date => new Date(now.getTime() + minutes * MINUTE);

describe('versioned schedule rules', () => {
  it('applies anything to a keyword it knows nothing about', () => {
    expect(isNewer(3, undefined)).toBe(true);
    expect(isNewer(undefined, undefined)).toBe(true);
  });

  it('applies only a newer version over a versioned state', () => {
    expect(isNewer(4, 3)).toBe(true);
    expect(isNewer(3, 3)).toBe(false);
    expect(isNewer(2, 3)).toBe(false);
  });

  it('lets an unversioned (old) event apply over unversioned state only, never undo a versioned one', () => {
    expect(isNewer(undefined, 0)).toBe(true);
    expect(isNewer(undefined, 1)).toBe(false);
    expect(isNewer(1, 0)).toBe(true);
  });
});

describe('rescheduling a keyword whose interval or pause changed', () => {
  it('brings the next crawl forward to one new interval from now when the interval gets shorter', () => {
    // Due in 50 minutes on a 60-minute interval; now every 15 minutes: due in 15.
    expect(dueAfterIntervalChange(now, at(50), 60, 15)).toEqual(at(15));
    // Already due sooner than the new interval: stays.
    expect(dueAfterIntervalChange(now, at(10), 60, 15)).toEqual(at(10));
  });

  it('moves the next crawl out by the difference when the interval gets longer, at most one interval away', () => {
    expect(dueAfterIntervalChange(now, at(10), 60, 120)).toEqual(at(70));
    expect(dueAfterIntervalChange(now, at(50), 60, 600)).toEqual(at(590));
    expect(dueAfterIntervalChange(now, at(200), 60, 120)).toEqual(at(120));
  });

  it('spreads a keyword resumed after its due time over its interval, and keeps a due time still ahead', () => {
    expect(dueOnResume(now, at(-300), 60, () => 0.5)).toEqual(at(30));
    expect(dueOnResume(now, at(-300), 60, () => 0)).toEqual(now);
    expect(dueOnResume(now, at(20), 60, () => 0.5)).toEqual(at(20));
  });

  it('pauses without touching the due time, and resumes with the new interval', () => {
    const current = { intervalMinutes: 60, paused: false, nextDueAt: at(30) };
    expect(reschedule(current, { intervalMinutes: 60, paused: true }, now, () => 0.5)).toEqual({
      intervalMinutes: 60,
      paused: true,
      nextDueAt: at(30),
    });
    const paused = { intervalMinutes: 60, paused: true, nextDueAt: at(-600) };
    expect(reschedule(paused, { intervalMinutes: 240, paused: false }, now, () => 0.25)).toEqual({
      intervalMinutes: 240,
      paused: false,
      nextDueAt: at(60),
    });
  });
});
