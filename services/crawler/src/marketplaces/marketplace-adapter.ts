import type { Secret } from '@shelfwatch/config';
import type { CrawlItem, MarketplaceCapabilities } from '@shelfwatch/contracts';

/** One credential pair of a marketplace's API (the platform's, or a tenant's own). */
export interface MarketplaceCredentials {
  clientId: Secret;
  clientSecret: Secret;
}

/** One page of a keyword search. */
export interface SearchRequest {
  keyword: string;
  /** The marketplace site searched (eBay `EBAY_US`, …); null for a marketplace with one. */
  site: string | null;
  /** 1-based position of the first result wanted. */
  start: number;
  /** Number of results wanted. */
  display: number;
  /** Sent with the request; revealed only into its headers. */
  credentials: MarketplaceCredentials;
  /** Aborts the HTTP request (timeout, shutdown). */
  signal: AbortSignal;
}

/** A page of results: `items[i].rank === start + i`. */
export interface SearchPage {
  /** Total results the marketplace reports for the keyword. */
  total: number;
  items: CrawlItem[];
}

/** Paging limits of a marketplace's search API. */
export interface PagingLimits {
  /** Largest accepted `start` (Naver: 1000). */
  maxStart: number;
  /** Largest accepted `display` (Naver: 100). */
  maxDisplay: number;
}

/**
 * Talks to one marketplace's search API: one request per call, no retries, no limits (those live in
 * `MarketplaceClient`). Rejects only with `MarketplaceError`.
 */
export interface MarketplaceAdapter {
  /** Marketplace id as used in contracts, e.g. `naver`. */
  readonly marketplace: string;
  readonly paging: PagingLimits;
  /** What the API can do: shown by `GET /v1/marketplaces`; `orderFidelity` travels with every crawl's ranks. */
  readonly capabilities: MarketplaceCapabilities;
  search(request: SearchRequest): Promise<SearchPage>;
}

/** The fetch function an adapter sends requests with (global `fetch` in production). */
export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;

/** Epoch milliseconds. */
export type Clock = () => number;
