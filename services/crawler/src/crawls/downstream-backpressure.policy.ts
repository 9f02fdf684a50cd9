/** The lag of one watched consumer as last read, or `null` when it could not be read. */
export interface DownstreamLag {
  /** The durable's name (`ranking-crawl`). */
  consumer: string;
  /** Messages pending delivery plus delivered and not yet acknowledged; `null` when the read failed. */
  pending: number | null;
}

/** The largest lag among the consumers that could be read: 0 when none could (an unknown lag never pauses). */
export function largestLag(lags: readonly DownstreamLag[]): DownstreamLag | null {
  return lags.reduce<DownstreamLag | null>(
    (largest, lag) => (lag.pending !== null && lag.pending > (largest?.pending ?? -1) ? lag : largest),
    null,
  );
}

/**
 * Whether crawls wait after a look at the downstream lag, with hysteresis: a running crawler pauses once the
 * largest lag exceeds `maxPending`, a paused one resumes once it is down to half of it, so that it does not flap
 * around one threshold. `maxPending` 0 never pauses; a lag that could not be read counts as none (fail open).
 */
export function crawlsPaused(wasPaused: boolean, largest: number, maxPending: number): boolean {
  if (maxPending === 0) {
    return false;
  }
  return largest > (wasPaused ? Math.floor(maxPending / 2) : maxPending);
}
