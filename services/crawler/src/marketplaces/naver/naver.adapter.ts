import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MarketplaceCapabilities } from '@shelfwatch/contracts';
import { getTracer } from '@shelfwatch/observability';
import type {
  Clock,
  FetchPort,
  MarketplaceAdapter,
  PagingLimits,
  SearchPage,
  SearchRequest,
} from '../marketplace-adapter';
import { requestFailure } from '../marketplace-error';
import { parseNaverAnswer } from './naver.parse';

/** Naver's documented limits: `start` 1–1000, `display` 1–100. */
export const NAVER_PAGING: PagingLimits = { maxStart: 1000, maxDisplay: 100 };

/**
 * What Naver's Shopping Search API gives: 100 results a request down to position 1,100, in the order a shopper sees
 * with `sort=sim`; the mall (seller) name of every result; prices in KRW. The rates are the documented defaults of
 * one application (10 a second, 25,000 a day); the deployment's own limits are configured (`NAVER_*`).
 */
export const NAVER_CAPABILITIES: MarketplaceCapabilities = {
  pageSize: NAVER_PAGING.maxDisplay,
  maxDepth: NAVER_PAGING.maxStart + NAVER_PAGING.maxDisplay,
  ratePerSecond: 10,
  dailyQuota: 25_000,
  orderFidelity: 'exact',
  fields: ['seller'],
  currencies: ['KRW'],
  sites: [],
  locales: ['ko-KR'],
};

/** Options of {@link NaverShoppingAdapter}. */
export interface NaverAdapterOptions {
  /** `https://openapi.naver.com`, or the marketplace simulator. */
  baseUrl: string;
  /** Sends the request; default global `fetch` (Node's shared undici dispatcher, one keep-alive pool per origin). */
  fetch?: FetchPort;
  /** Epoch ms; decides the quota reset time and Retry-After dates. Default `Date.now`. */
  clock?: Clock;
}

/**
 * Naver Shopping Search API (`GET /v1/search/shop.json`, sort by accuracy). One HTTP request per call;
 * every failure, including an error body sent with HTTP 200, rejects with a `MarketplaceError`.
 */
export class NaverShoppingAdapter implements MarketplaceAdapter {
  readonly marketplace = 'naver';
  readonly paging = NAVER_PAGING;
  readonly capabilities = NAVER_CAPABILITIES;
  private readonly fetch: FetchPort;
  private readonly clock: Clock;
  private readonly endpoint: URL;

  constructor(options: NaverAdapterOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.clock = options.clock ?? Date.now;
    this.endpoint = new URL('/v1/search/shop.json', options.baseUrl);
  }

  /** Fetches one page; `request.signal` aborts the request and the body read. */
  async search(request: SearchRequest): Promise<SearchPage> {
    const url = this.urlFor(request);
    // One CLIENT span per page fetch, in the crawl's trace (the HTTP instrumentation nests under it).
    return getTracer().startActiveSpan(
      'naver search page',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'shelfwatch.marketplace': 'naver', 'shelfwatch.page_start': request.start },
      },
      async (span) => {
        try {
          const { status, retryAfter, text } = await this.send(url, request);
          span.setAttribute('http.response.status_code', status);
          return parseNaverAnswer({ status, text, retryAfter, start: request.start, nowMs: this.clock() });
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private urlFor(request: SearchRequest): string {
    const url = new URL(this.endpoint);
    url.searchParams.set('query', request.keyword);
    url.searchParams.set('display', String(request.display));
    url.searchParams.set('start', String(request.start));
    url.searchParams.set('sort', 'sim');
    return url.toString();
  }

  private async send(
    url: string,
    { credentials, signal }: SearchRequest,
  ): Promise<{ status: number; retryAfter: string | null; text: string }> {
    try {
      const response = await this.fetch(url, {
        method: 'GET',
        signal,
        headers: {
          accept: 'application/json',
          // Revealed here only: the Secret never reaches a log or an error message.
          'X-Naver-Client-Id': credentials.clientId.reveal(),
          'X-Naver-Client-Secret': credentials.clientSecret.reveal(),
        },
      });
      const text = await response.text();
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
    } catch (err) {
      throw requestFailure('Naver', err, signal);
    }
  }
}
