/** Pure rules of a keyword's crawl health: final failures since the last completed crawl, and the last error. */

/** A crawl's final outcome as the health of its keyword counts it (retried attempts never are). */
export type CrawlOutcome =
  | { kind: 'completed'; crawlId: string; at: Date }
  | { kind: 'failed'; crawlId: string; at: Date; code: string; message: string };

/** The keyword's crawl health as callers see it (the contract's `crawlHealth`). */
export interface CrawlHealthView {
  failing: boolean;
  consecutiveFailures: number;
  lastError: { code: string; message: string; at: string } | null;
  lastCrawledAt: string | null;
}

/** A keyword with no recorded outcome yet. */
export const UNKNOWN_HEALTH: CrawlHealthView = {
  failing: false,
  consecutiveFailures: 0,
  lastError: null,
  lastCrawledAt: null,
};

/**
 * A keyword's health from its recorded outcomes, in any order (events arrive out of order): the crawls
 * that failed after the latest completed one are the failures in a row, the latest of them the last error;
 * failing once there are `failingAfter` of them. A completed crawl clears it.
 */
export function crawlHealthOf(outcomes: readonly CrawlOutcome[], failingAfter: number): CrawlHealthView {
  const lastCompleted = outcomes
    .filter((outcome) => outcome.kind === 'completed')
    .reduce<Date | null>((latest, outcome) => (latest && latest >= outcome.at ? latest : outcome.at), null);
  const failures = outcomes
    .flatMap((outcome) => (outcome.kind === 'failed' ? [outcome] : []))
    .filter((failure) => lastCompleted === null || failure.at > lastCompleted)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const [last] = failures;
  return {
    failing: failures.length >= failingAfter,
    consecutiveFailures: failures.length,
    lastError: last ? { code: last.code, message: last.message, at: last.at.toISOString() } : null,
    lastCrawledAt: lastCompleted?.toISOString() ?? null,
  };
}
