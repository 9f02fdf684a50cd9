/** Pure scheduling rules of the crawler: when a keyword is next due. Time and randomness come in. */

/** ±10 % of the interval, so keywords added together drift apart instead of firing in bursts. */
export const JITTER_RATIO = 0.1;

/** Next due time after a crawl was scheduled at `now`: the interval, jittered by ±10 %. */
export function nextDueAt(now: Date, intervalMinutes: number, random: () => number): Date {
  const intervalMs = intervalMinutes * 60_000;
  const jitter = (random() * 2 - 1) * JITTER_RATIO * intervalMs;
  return new Date(now.getTime() + intervalMs + jitter);
}

/**
 * First due time of a newly scheduled keyword: somewhere within its first interval (at most `spreadMs`
 * away), so a batch of new keywords, or a restart after downtime, does not crawl everything at once.
 */
export function firstDueAt(now: Date, intervalMinutes: number, spreadMs: number, random: () => number): Date {
  return new Date(now.getTime() + random() * Math.min(intervalMinutes * 60_000, spreadMs));
}

/**
 * A keyword that missed a whole interval (the crawlers were down) is not crawled at once together with
 * every other overdue keyword: it gets a new due time within the spread window instead. Null: crawl it now.
 */
export function catchUpDueAt(
  now: Date,
  dueAt: Date,
  intervalMinutes: number,
  spreadMs: number,
  random: () => number,
): Date | null {
  if (now.getTime() - dueAt.getTime() <= intervalMinutes * 60_000) {
    return null;
  }
  return firstDueAt(now, intervalMinutes, spreadMs, random);
}
