const DAY_MS = 86_400_000;
const PARTITION_NAME = /^ranking_rows_p(\d{4})(\d{2})(\d{2})$/;

/** Midnight UTC of the day `instant` falls in. */
export function dayOf(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS);
}

/** Name of the daily partition holding `day`: `ranking_rows_pYYYYMMDD`. */
export function partitionName(day: Date): string {
  return `ranking_rows_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day a daily partition holds, or null for any other table (the default partition). */
export function partitionDay(name: string): Date | null {
  const match = PARTITION_NAME.exec(name);
  return match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : null;
}

/** Today and the next `daysAhead` days: the partitions that must exist before rows arrive. */
export function daysAhead(now: Date, daysAheadCount: number): Date[] {
  const today = dayOf(now).getTime();
  return Array.from({ length: daysAheadCount + 1 }, (_, i) => new Date(today + i * DAY_MS));
}

/**
 * Daily partitions whose every row is older than `cutoff` (the day ends at or before it), oldest first.
 * `cutoff` must be the earliest cut-off of any tenant, so that no tenant loses a row inside its window.
 */
export function expiredPartitions(names: readonly string[], cutoff: Date): string[] {
  return names
    .map((name) => ({ name, day: partitionDay(name) }))
    .filter((p): p is { name: string; day: Date } => p.day !== null && p.day.getTime() + DAY_MS <= cutoff.getTime())
    .sort((a, b) => a.day.getTime() - b.day.getTime())
    .map((p) => p.name);
}
