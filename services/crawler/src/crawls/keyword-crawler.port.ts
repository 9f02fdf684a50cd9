import { CrawlItem, OrderFidelity } from '@shelfwatch/contracts';

/** One keyword's shelf as crawled: items in rank order and how many pages it cost. */
export interface CrawledShelf {
  items: CrawlItem[];
  pagesFetched: number;
  /** How faithfully the items' order is the shopper's (the marketplace adapter's declaration). */
  orderFidelity: OrderFidelity;
}

/** What the crawl worker needs from the marketplaces: crawl one keyword, or throw a coded failure. */
export interface KeywordCrawler {
  crawl(request: {
    /** The tenant the crawl is for: it decides the credentials and the budget. */
    tenantId: string;
    marketplace: string;
    /** The marketplace site searched (eBay `EBAY_US`, …); null for a marketplace with one. */
    site: string | null;
    keyword: string;
    /** Stop paging once all of these have been seen (saves quota); empty: crawl to the configured depth. */
    trackedExternalIds: string[];
    signal: AbortSignal;
  }): Promise<CrawledShelf>;
}

export const KEYWORD_CRAWLER = Symbol('KEYWORD_CRAWLER');

/** Reason codes of `crawl.failed`. */
export const CRAWL_FAILURE_CODES = [
  'breaker_open',
  'quota_exhausted',
  'tenant_quota_exhausted',
  'throttled',
  'timeout',
  'upstream_error',
  'invalid_response',
  'auth_failed',
  'bad_request',
  'unknown_marketplace',
  'keyword_removed',
  'cancelled',
  /** The worker could not renew its lease (the run was taken over, or the database was unreachable): it stopped. */
  'lease_lost',
] as const;
export type CrawlFailureCode = (typeof CRAWL_FAILURE_CODES)[number];

const RETRYABLE: ReadonlySet<CrawlFailureCode> = new Set([
  'breaker_open',
  'quota_exhausted',
  'throttled',
  'timeout',
  'upstream_error',
]);

/** Classifies whatever a crawl threw into a `crawl.failed` reason. Pure. */
export function crawlFailure(error: unknown): { code: CrawlFailureCode; message: string; retryable: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  const raw = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const aborted = error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
  const known = CRAWL_FAILURE_CODES.find((code) => code === raw);
  const code: CrawlFailureCode = known ?? (aborted ? 'timeout' : 'upstream_error');
  // A MarketplaceError knows best whether a later attempt may succeed.
  const own = typeof error === 'object' && error !== null && 'retryable' in error ? error.retryable : undefined;
  return { code, message: message.slice(0, 500), retryable: typeof own === 'boolean' ? own : RETRYABLE.has(code) };
}
