import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MarketplaceCapabilities } from '@shelfwatch/contracts';
import { getTracer } from '@shelfwatch/observability';
import type { Clock, FetchPort, MarketplaceAdapter, SearchPage, SearchRequest } from '../marketplace-adapter';
import { MarketplaceError, requestFailure } from '../marketplace-error';
import { parseRakutenAnswer } from './rakuten.parse';
import {
  RAKUTEN_MAX_HITS,
  RAKUTEN_MAX_PAGE,
  RAKUTEN_PAGING,
  type RakutenPageRequest,
  rakutenPageOf,
} from './rakuten.paging';

/**
 * What Rakuten Ichiba's Item Search API gives: 30 results a request down to position 3,000 in `sort=standard`
 * order, the shop (seller) name and code, availability, review count and average, prices in JPY. One request a
 * second per application id is the only documented limit; the daily figure is what that rate allows in a day
 * (86,400), so the budget never refuses before Rakuten would.
 */
export const RAKUTEN_CAPABILITIES: MarketplaceCapabilities = {
  pageSize: RAKUTEN_MAX_HITS,
  maxDepth: RAKUTEN_MAX_HITS * RAKUTEN_MAX_PAGE,
  ratePerSecond: 1,
  dailyQuota: 86_400,
  orderFidelity: 'exact',
  fields: ['seller', 'availability', 'reviews', 'placement'],
  currencies: ['JPY'],
  sites: [],
  locales: ['ja-JP'],
};

/** Options of {@link RakutenItemSearchAdapter}. */
export interface RakutenAdapterOptions {
  /** The full endpoint URL (`RAKUTEN_API_BASE_URL`): the documented host, the new one, or the simulator. */
  baseUrl: string;
  /**
   * Sent as `Referer`, its origin as `Origin`: the new host checks them against the application's registered URL.
   * Null sends neither.
   */
  referer?: string | null;
  /** Sends the request; default global `fetch`. */
  fetch?: FetchPort;
  /** Epoch ms; decides Retry-After dates. Default `Date.now`. */
  clock?: Clock;
}

/**
 * Rakuten Ichiba Item Search (`GET {baseUrl}?applicationId&keyword&hits&page&sort=standard&format=json`). The
 * credentials are the application id (`clientId`) and the access key (`clientSecret`; empty: none, for the
 * documented host). One HTTP request per call, serving the window asked for from the one Rakuten page that holds it.
 */
export class RakutenItemSearchAdapter implements MarketplaceAdapter {
  readonly marketplace = 'rakuten';
  readonly paging = RAKUTEN_PAGING;
  readonly capabilities = RAKUTEN_CAPABILITIES;
  private readonly fetch: FetchPort;
  private readonly clock: Clock;
  private readonly endpoint: URL;
  private readonly contextHeaders: Record<string, string>;

  constructor(options: RakutenAdapterOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.clock = options.clock ?? Date.now;
    this.endpoint = new URL(options.baseUrl);
    this.contextHeaders =
      options.referer === undefined || options.referer === null
        ? {}
        : { referer: options.referer, origin: new URL(options.referer).origin };
  }

  /** Fetches the Rakuten page holding the window and returns the window; `request.signal` aborts it. */
  async search(request: SearchRequest): Promise<SearchPage> {
    const page = rakutenPageOf(request.start, request.display);
    if (page === null) {
      throw new MarketplaceError('bad_request', {
        message: `Rakuten cannot serve ranks ${request.start} to ${request.start + request.display - 1} in one page`,
      });
    }
    return getTracer().startActiveSpan(
      'rakuten search page',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'shelfwatch.marketplace': 'rakuten', 'shelfwatch.page_start': request.start },
      },
      async (span) => {
        try {
          const { status, retryAfter, text } = await this.send(this.urlFor(request, page), request.signal);
          span.setAttribute('http.response.status_code', status);
          const answer = parseRakutenAnswer({
            status,
            text,
            retryAfter,
            firstRank: (page.page - 1) * page.hits + 1,
            nowMs: this.clock(),
          });
          return { total: answer.total, items: answer.items.slice(page.offset, page.offset + request.display) };
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  // The credentials travel in the query string, as Rakuten's contract has them (revealed here only).
  private urlFor({ keyword, credentials }: SearchRequest, page: RakutenPageRequest): string {
    const url = new URL(this.endpoint);
    url.searchParams.set('applicationId', credentials.clientId.reveal());
    const accessKey = credentials.clientSecret.reveal();
    if (accessKey !== '') {
      url.searchParams.set('accessKey', accessKey);
    }
    url.searchParams.set('keyword', keyword);
    url.searchParams.set('hits', String(page.hits));
    url.searchParams.set('page', String(page.page));
    url.searchParams.set('sort', 'standard');
    url.searchParams.set('format', 'json');
    url.searchParams.set('formatVersion', '1');
    return url.toString();
  }

  private async send(
    url: string,
    signal: AbortSignal,
  ): Promise<{ status: number; retryAfter: string | null; text: string }> {
    try {
      const response = await this.fetch(url, {
        method: 'GET',
        signal,
        headers: { accept: 'application/json', ...this.contextHeaders },
      });
      const text = await response.text();
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
    } catch (err) {
      throw requestFailure('Rakuten', err, signal);
    }
  }
}
