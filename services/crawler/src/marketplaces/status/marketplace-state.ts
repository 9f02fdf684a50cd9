import type { MarketplaceBreakerState, MarketplaceState } from '@shelfwatch/contracts';

/** Crawls of the last hour below which a low success rate says nothing (one unlucky crawl is not a trend). */
export const MIN_CRAWLS_FOR_RATE = 5;
/** Success rate of the last hour under which a marketplace is degraded. */
export const LOW_SUCCESS_RATE = 0.5;

/** What the state of a marketplace is decided from; counts of crawl runs by when they finished. */
export interface MarketplaceStateInput {
  breaker: MarketplaceBreakerState;
  /** Whether an exhausted quota pauses every request now. */
  quotaPaused: boolean;
  /** Whether any crawl of the marketplace ever finished (completed or failed). */
  everFinished: boolean;
  /** Crawls finished in the last 15 minutes, and how many of them completed. */
  finishedLast15Minutes: number;
  completedLast15Minutes: number;
  /** Crawls finished in the last hour, and how many of them completed. */
  finishedLastHour: number;
  completedLastHour: number;
}

/** Completed / finished; null when nothing finished. */
export function successRate(completed: number, finished: number): number | null {
  return finished === 0 ? null : completed / finished;
}

/**
 * The state of a marketplace. Pure. `unknown` before any crawl finished; `unhealthy` when crawls finished in the
 * last 15 minutes and none completed; `degraded` while the breaker is open, the quota is paused, or fewer than
 * half of at least {@link MIN_CRAWLS_FOR_RATE} crawls of the last hour completed; `ok` otherwise.
 */
export function marketplaceState(input: MarketplaceStateInput): MarketplaceState {
  if (!input.everFinished) {
    return 'unknown';
  }
  if (input.finishedLast15Minutes > 0 && input.completedLast15Minutes === 0) {
    return 'unhealthy';
  }
  const rate = successRate(input.completedLastHour, input.finishedLastHour);
  const lowRate = input.finishedLastHour >= MIN_CRAWLS_FOR_RATE && rate !== null && rate < LOW_SUCCESS_RATE;
  if (input.breaker === 'open' || input.quotaPaused || lowRate) {
    return 'degraded';
  }
  return 'ok';
}
