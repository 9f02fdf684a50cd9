/** Pure rules of the versioned schedule projection: which event wins, and when a changed keyword is due. */

/**
 * Whether an event at `incoming` version must be applied over the state last applied at `applied`
 * (undefined: nothing known yet). Events published before versions existed carry none: they apply only
 * over state that has no version either (0), so an old event can never undo a versioned one.
 */
export function isNewer(incoming: number | undefined, applied: number | undefined): boolean {
  if (applied === undefined) {
    return true;
  }
  if (incoming === undefined) {
    return applied === 0;
  }
  return incoming > applied;
}

/** A scheduled keyword's interval, pause and next due time. */
export interface KeywordSchedule {
  intervalMinutes: number;
  paused: boolean;
  nextDueAt: Date;
}

const MINUTE_MS = 60_000;

/**
 * Next due time after the interval changed: a shorter interval brings it forward to at most one new
 * interval from now (`min(nextDue, now + new)`); a longer one moves it out by the difference, still at most
 * one new interval from now.
 */
export function dueAfterIntervalChange(now: Date, nextDueAt: Date, oldMinutes: number, newMinutes: number): Date {
  const movedOut = nextDueAt.getTime() + Math.max(0, newMinutes - oldMinutes) * MINUTE_MS;
  return new Date(Math.min(movedOut, now.getTime() + newMinutes * MINUTE_MS));
}

/**
 * Next due time of a resumed keyword: a due time still ahead (within one interval) stays; one that passed
 * while paused becomes a random time within the interval, so keywords resumed together are not crawled at once.
 */
export function dueOnResume(now: Date, nextDueAt: Date, intervalMinutes: number, random: () => number): Date {
  const intervalMs = intervalMinutes * MINUTE_MS;
  if (nextDueAt.getTime() > now.getTime()) {
    return new Date(Math.min(nextDueAt.getTime(), now.getTime() + intervalMs));
  }
  return new Date(now.getTime() + random() * intervalMs);
}

/** The schedule of a keyword after its interval and/or pause changed to `target`. */
export function reschedule(
  current: KeywordSchedule,
  target: { intervalMinutes: number; paused: boolean },
  now: Date,
  random: () => number,
): KeywordSchedule {
  let nextDueAt = current.nextDueAt;
  if (target.intervalMinutes !== current.intervalMinutes) {
    nextDueAt = dueAfterIntervalChange(now, nextDueAt, current.intervalMinutes, target.intervalMinutes);
  }
  if (current.paused && !target.paused) {
    nextDueAt = dueOnResume(now, nextDueAt, target.intervalMinutes, random);
  }
  return { intervalMinutes: target.intervalMinutes, paused: target.paused, nextDueAt };
}
