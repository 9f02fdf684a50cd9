import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  DEFAULT_EBAY_SITE,
  EBAY_SITE_IDS,
  EBAY_SITES,
  type EbaySite,
  type MarketplaceCapabilities,
} from '@shelfwatch/contracts';
import { getTracer } from '@shelfwatch/observability';
import type {
  Clock,
  FetchPort,
  MarketplaceAdapter,
  PagingLimits,
  SearchPage,
  SearchRequest,
} from '../marketplace-adapter';
import { MarketplaceError } from '../marketplace-error';
import { parseEbayAnswer } from './ebay.parse';
import { EbayTokenCache, ebayNetworkFailure } from './ebay.token';

/** eBay's documented limits: `limit` 1–200, and `offset + limit` at most 10,000 (the deepest result). */
export const EBAY_PAGING: PagingLimits = { maxStart: 10_000 - 200 + 1, maxDisplay: 200 };

/** The locale of each eBay site ShelfWatch crawls. */
const EBAY_LOCALES: Record<EbaySite, string> = {
  EBAY_US: 'en-US',
  EBAY_GB: 'en-GB',
  EBAY_DE: 'de-DE',
  EBAY_FR: 'fr-FR',
  EBAY_IT: 'it-IT',
  EBAY_ES: 'es-ES',
  EBAY_AU: 'en-AU',
  EBAY_CA: 'en-CA',
};

/**
 * What eBay's Browse search gives: 200 results a request down to position 10,000, in the API's Best Match order,
 * which eBay says differs from the site's (the site personalises it): `approximate`. Seller and condition of every
 * result; prices in the site's currency. 5,000 calls a day is a new application's default. eBay publishes no
 * per-second limit for Browse: 5 a second keeps a 10-page crawl quick while leaving the day's calls to the budget.
 */
export const EBAY_CAPABILITIES: MarketplaceCapabilities = {
  pageSize: EBAY_PAGING.maxDisplay,
  maxDepth: EBAY_PAGING.maxStart + EBAY_PAGING.maxDisplay - 1,
  ratePerSecond: 5,
  dailyQuota: 5_000,
  orderFidelity: 'approximate',
  fields: ['seller', 'placement', 'condition'],
  currencies: [...new Set(Object.values(EBAY_SITES))],
  sites: [...EBAY_SITE_IDS],
  locales: EBAY_SITE_IDS.map((site) => EBAY_LOCALES[site]),
};

/** Options of {@link EbayBrowseAdapter}. */
export interface EbayAdapterOptions {
  /** `https://api.ebay.com`, or the marketplace simulator. */
  baseUrl: string;
  /** Sends the requests; default global `fetch`. */
  fetch?: FetchPort;
  /** Epoch ms; decides token expiry, the quota reset time and Retry-After dates. Default `Date.now`. */
  clock?: Clock;
}

/**
 * eBay Browse API keyword search (`GET /buy/browse/v1/item_summary/search`), authorised by an application token of
 * the client-credentials grant (cached; fetched again once when the search answers 401). The token request is part
 * of the call: it shares the call's signal and is not a search of the budget.
 */
export class EbayBrowseAdapter implements MarketplaceAdapter {
  readonly marketplace = 'ebay';
  readonly paging = EBAY_PAGING;
  readonly capabilities = EBAY_CAPABILITIES;
  readonly tokens: EbayTokenCache;
  private readonly fetch: FetchPort;
  private readonly clock: Clock;
  private readonly endpoint: URL;

  constructor(options: EbayAdapterOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.clock = options.clock ?? Date.now;
    this.endpoint = new URL('/buy/browse/v1/item_summary/search', options.baseUrl);
    this.tokens = new EbayTokenCache(
      new URL('/identity/v1/oauth2/token', options.baseUrl).toString(),
      this.fetch,
      this.clock,
    );
  }

  /** Fetches one page; `request.signal` aborts the token request, the search and the body read. */
  async search(request: SearchRequest): Promise<SearchPage> {
    const site = siteOf(request.site);
    return getTracer().startActiveSpan(
      'ebay search page',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'shelfwatch.marketplace': 'ebay',
          'shelfwatch.site': site,
          'shelfwatch.page_start': request.start,
        },
      },
      async (span) => {
        try {
          const { status, retryAfter, text } = await this.authorisedSearch(request, site);
          span.setAttribute('http.response.status_code', status);
          return parseEbayAnswer({
            status,
            text,
            retryAfter,
            start: request.start,
            siteCurrency: EBAY_SITES[site],
            nowMs: this.clock(),
          });
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** The search with a cached token; a 401 (expired or revoked token) gets one new token and one more try. */
  private async authorisedSearch(request: SearchRequest, site: EbaySite): Promise<HttpAnswer> {
    const url = this.urlFor(request);
    const token = await this.tokens.get(request.credentials, request.signal);
    const first = await this.send(url, site, token, request.signal);
    if (first.status !== 401) {
      return first;
    }
    this.tokens.invalidate(request.credentials, token);
    const renewed = await this.tokens.get(request.credentials, request.signal);
    return this.send(url, site, renewed, request.signal);
  }

  private urlFor(request: SearchRequest): string {
    const url = new URL(this.endpoint);
    url.searchParams.set('q', request.keyword);
    url.searchParams.set('limit', String(request.display));
    url.searchParams.set('offset', String(request.start - 1));
    return url.toString();
  }

  private async send(url: string, site: EbaySite, token: string, signal: AbortSignal): Promise<HttpAnswer> {
    try {
      const response = await this.fetch(url, {
        method: 'GET',
        signal,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          'X-EBAY-C-MARKETPLACE-ID': site,
        },
      });
      const text = await response.text();
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
    } catch (err) {
      throw ebayNetworkFailure(err, signal, 'search');
    }
  }
}

interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** The request's eBay site (default `EBAY_US`); a site ShelfWatch does not know is a bad request, never sent. */
function siteOf(site: string | null): EbaySite {
  const id = site ?? DEFAULT_EBAY_SITE;
  if (!(EBAY_SITE_IDS as readonly string[]).includes(id)) {
    throw new MarketplaceError('bad_request', { message: `unknown eBay site "${id}"` });
  }
  return id as EbaySite;
}
