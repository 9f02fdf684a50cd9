import type { CrawlItem } from '@shelfwatch/contracts';
import type { PagingLimits } from './marketplace-adapter';
import type { PageSource } from './marketplace-client';
import type { ResolvedCredential } from './marketplace-credentials';
import { toMarketplaceError } from './marketplace-error';

/** What to crawl for one keyword. */
export interface CrawlKeywordOptions {
  keyword: string;
  /** The marketplace site searched (eBay `EBAY_US`, …); null or absent for a marketplace with one. */
  site?: string | null;
  /** The tenant the crawl is for. */
  tenantId: string;
  /** The credentials every page is requested with. */
  credential: ResolvedCredential;
  /** Most pages to fetch (the configured depth). */
  maxPages: number;
  /** Results per page; capped at the marketplace's `maxDisplay`. */
  pageSize: number;
  /** The tenant's products tracked for this keyword (marketplace product ids). */
  trackedExternalIds: readonly string[];
  /** Stop paging once every tracked id has been seen (saves quota). Ignored when none are tracked. */
  stopWhenAllFound: boolean;
  /** Aborts the whole crawl (shutdown); a failed crawl throws, it never returns partial rankings. */
  signal?: AbortSignal;
  /** Time budget of the whole crawl; when it elapses the crawl fails with `timeout`. */
  timeoutMs?: number;
}

/** The shelf as crawled, in rank order. */
export interface CrawlKeywordResult {
  items: CrawlItem[];
  pagesFetched: number;
}

/** One planned page request; `skip` drops leading results already fetched (a final page clamped to maxStart). */
export interface PlannedPage {
  start: number;
  display: number;
  skip: number;
}

/**
 * The pages to request, in order: sequential from start=1, at most `maxPages`, never a `start` above
 * `maxStart`. When the next start would pass `maxStart`, one last page is clamped to `start = maxStart`
 * (skipping the overlap), so the deepest rank is at most `maxStart + display - 1` (Naver: 1099 <= 1100).
 */
export function planPages(maxPages: number, pageSize: number, paging: PagingLimits): PlannedPage[] {
  const display = Math.max(1, Math.min(pageSize, paging.maxDisplay));
  const pages: PlannedPage[] = [];
  let next = 1;
  while (pages.length < maxPages && next <= paging.maxStart + display - 1) {
    const start = Math.min(next, paging.maxStart);
    pages.push({ start, display, skip: next - start });
    next = start + display;
  }
  return pages;
}

/**
 * Crawls one keyword page by page through `client`, stopping early once every tracked product was seen
 * or the marketplace has no more results. Throws the `MarketplaceError` of the first failed page.
 */
export async function crawlKeyword(client: PageSource, options: CrawlKeywordOptions): Promise<CrawlKeywordResult> {
  const signal = crawlSignal(options);
  try {
    return await crawlPages(client, options, signal);
  } catch (err) {
    throw toMarketplaceError(err, signal);
  }
}

async function crawlPages(
  client: PageSource,
  options: CrawlKeywordOptions,
  signal: AbortSignal | undefined,
): Promise<CrawlKeywordResult> {
  const missing = new Set(options.trackedExternalIds);
  const earlyStop = options.stopWhenAllFound && missing.size > 0;
  const items: CrawlItem[] = [];
  let pagesFetched = 0;
  for (const page of planPages(options.maxPages, options.pageSize, client.paging)) {
    signal?.throwIfAborted();
    const result = await client.search({
      keyword: options.keyword,
      site: options.site ?? null,
      start: page.start,
      display: page.display,
      tenantId: options.tenantId,
      credential: options.credential,
      signal,
    });
    pagesFetched += 1;
    const fresh = result.items.slice(page.skip);
    items.push(...fresh);
    fresh.forEach((item) => missing.delete(item.externalId));
    const exhausted = result.items.length < page.display || page.start + page.display > result.total;
    if (exhausted || (earlyStop && missing.size === 0)) {
      break;
    }
  }
  return { items, pagesFetched };
}

function crawlSignal(options: CrawlKeywordOptions): AbortSignal | undefined {
  const signals = [
    options.signal,
    options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  ];
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length > 1 ? AbortSignal.any(present) : present[0];
}
