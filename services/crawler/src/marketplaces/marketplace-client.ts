import type { MarketplaceCapabilities } from '@shelfwatch/contracts';
import { type Breaker, type BreakerOptions, type BreakerState, createBreaker, retry } from '@shelfwatch/resilience';
import type { MarketplaceAdapter, PagingLimits, SearchPage } from './marketplace-adapter';
import type { ResolvedCredential } from './marketplace-credentials';
import { isMarketplaceError, isNotUpstreamFailure, isRetryableNow, toMarketplaceError } from './marketplace-error';
import type { RequestBudget } from './request-budget';
import { recordMarketplaceRequest } from './status/marketplace.metrics';

/** A page request to a {@link MarketplaceClient}. */
export interface PageQuery {
  keyword: string;
  /** The marketplace site searched; null for a marketplace with one. */
  site: string | null;
  start: number;
  display: number;
  /** The tenant whose crawl sends the request. */
  tenantId: string;
  /** The credentials it is sent with, and the budget it spends. */
  credential: ResolvedCredential;
  /** The crawl's signal (deadline, shutdown); aborts waits and the in-flight request. */
  signal?: AbortSignal;
}

/** What `crawlKeyword` needs from a client: a fake implements this in tests. */
export interface PageSource {
  readonly marketplace: string;
  readonly paging: PagingLimits;
  readonly capabilities: MarketplaceCapabilities;
  /** One page; rejects only with `MarketplaceError`. */
  search(query: PageQuery): Promise<SearchPage>;
}

/** Tuning of a {@link MarketplaceClient}; durations in ms. */
export interface MarketplaceClientOptions {
  /** Breaker metrics name; default `marketplace.<marketplace>`. */
  name?: string;
  /** Per-request timeout; aborts the fetch. Default 8000. */
  requestTimeoutMs?: number;
  /** Breaker tuning (volumeThreshold default 10, resetTimeout 30000). `timeout` is `requestTimeoutMs`. */
  breaker?: Omit<BreakerOptions, 'timeout' | 'errorFilter' | 'capacity'>;
  /** Retry tuning: attempts (default 3), back-off base/cap (200/5000), longest Retry-After waited (10000). */
  retry?: { attempts?: number; baseMs?: number; maxMs?: number; maxRetryAfterMs?: number };
  /** Uniform in [0, 1); back-off jitter. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Readiness details of a client (an open marketplace breaker must not make the crawler unready). */
export interface MarketplaceClientStatus {
  marketplace: string;
  breaker: BreakerState;
  /** Requests of this replica in flight upstream. */
  inFlight: number;
  /** Requests this client has sent upstream since it was created (retries included). */
  requestsSent: number;
}

type GuardedSearch = [query: Omit<PageQuery, 'signal'>, callerSignal: AbortSignal | undefined];

/**
 * What the crawler calls, one per marketplace: wraps the adapter with a breaker (4xx not counted), retries
 * with full-jitter back-off outside it and a per-request timeout that aborts the fetch. Every attempt first
 * acquires the credential's shared {@link RequestBudget} (rate, concurrency, daily quota, tenant share); a
 * quota error from upstream pauses that budget for every replica. Every rejection is a `MarketplaceError`.
 */
export class MarketplaceClient implements PageSource {
  readonly marketplace: string;
  readonly paging: PagingLimits;
  readonly capabilities: MarketplaceCapabilities;
  private readonly breaker: Breaker<GuardedSearch, SearchPage>;
  private inFlight = 0;
  private requestsSent = 0;

  constructor(
    adapter: MarketplaceAdapter,
    private readonly budget: RequestBudget,
    private readonly options: MarketplaceClientOptions = {},
  ) {
    this.marketplace = adapter.marketplace;
    this.paging = adapter.paging;
    this.capabilities = adapter.capabilities;
    this.breaker = createBreaker(
      options.name ?? `marketplace.${adapter.marketplace}`,
      (
        { keyword, site, start, display, credential }: GuardedSearch[0],
        callerSignal: AbortSignal | undefined,
        breakerSignal: AbortSignal,
      ) =>
        counted(
          adapter.marketplace,
          adapter.search({
            keyword,
            site,
            start,
            display,
            credentials: credential.credentials,
            signal: anySignal(breakerSignal, callerSignal),
          }),
        ),
      {
        volumeThreshold: 10,
        ...options.breaker,
        timeout: options.requestTimeoutMs ?? 8_000,
        errorFilter: isNotUpstreamFailure,
      },
    );
  }

  /** Fetches one page, retrying transient failures; rejects with a `MarketplaceError`. */
  async search(query: PageQuery): Promise<SearchPage> {
    const { signal, ...page } = query;
    try {
      return await retry(() => this.attempt(page, signal), {
        operation: `crawler.${this.marketplace}.search`,
        ...this.options.retry,
        random: this.options.random,
        sleep: this.options.sleep,
        signal,
        isRetryable: isRetryableNow,
      });
    } catch (err) {
      throw toMarketplaceError(err, signal);
    }
  }

  /** Breaker state and this replica's requests (the shared budget's figures are the quota source's). */
  status(): MarketplaceClientStatus {
    return {
      marketplace: this.marketplace,
      breaker: this.breaker.state,
      inFlight: this.inFlight,
      requestsSent: this.requestsSent,
    };
  }

  /** Calls `listener` on every breaker transition; returns the unsubscribe function. */
  onBreakerStateChange(listener: (state: BreakerState) => void): () => void {
    return this.breaker.onStateChange(listener);
  }

  /** Stops the breaker's timers and aborts in-flight requests. */
  close(): void {
    this.breaker.shutdown();
  }

  // One upstream request: a grant of the shared budget first (it refuses while paused or spent), then the breaker.
  private async attempt(page: Omit<PageQuery, 'signal'>, signal: AbortSignal | undefined): Promise<SearchPage> {
    const permit = await this.budget.acquire({ credential: page.credential, tenantId: page.tenantId, signal });
    this.inFlight += 1;
    try {
      this.requestsSent += 1;
      return await this.breaker.fire(page, signal);
    } catch (err) {
      // Paused before the permit is given back, so no replica's next request slips in before the pause.
      if (isMarketplaceError(err) && err.code === 'quota_exhausted' && err.resumeAt !== undefined) {
        await this.budget.pause(page.credential, err.resumeAt);
      }
      throw err;
    } finally {
      this.inFlight -= 1;
      await permit.release();
    }
  }
}

/** Counts one request that went upstream (the breaker let it through) by the status class it ended with. */
async function counted(marketplace: string, request: Promise<SearchPage>): Promise<SearchPage> {
  try {
    const page = await request;
    recordMarketplaceRequest(marketplace, '2xx');
    return page;
  } catch (err) {
    recordMarketplaceRequest(marketplace, statusClass(err));
    throw err;
  }
}

function statusClass(err: unknown): string {
  if (isMarketplaceError(err) && err.httpStatus !== undefined) {
    return `${Math.floor(err.httpStatus / 100)}xx`;
  }
  if (isMarketplaceError(err) && (err.code === 'timeout' || err.code === 'cancelled')) {
    return err.code;
  }
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? 'timeout' : 'network';
}

function anySignal(first: AbortSignal, second: AbortSignal | undefined): AbortSignal {
  return second === undefined ? first : AbortSignal.any([first, second]);
}
