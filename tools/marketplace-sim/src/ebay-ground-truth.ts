import { DEFAULT_EBAY_SITE, EBAY_SITE_IDS, type EbaySite } from '@shelfwatch/contracts';
import { toTruthItem } from './ground-truth';
import { EbayItemSummary, EbaySearchResponse, toEbayItem } from './ebay-format';
import { SimulatorControl } from './simulator-control';

/** A listing as the eBay route serves it, with its 1-based position in the Best Match order. */
export type EbayTruthItem = EbayItemSummary & { rank: number };

/** The validated parameters of one `item_summary/search` request. */
export interface EbaySearchParams {
  readonly q: string;
  readonly limit: number;
  readonly offset: number;
  readonly site: EbaySite;
}

/** Deepest result the Browse search serves (offset + limit). */
export const EBAY_MAX_DEPTH = 10_000;

/** The site named by `X-EBAY-C-MARKETPLACE-ID` (absent: EBAY_US, as eBay defaults it); undefined when unknown. */
export function ebaySiteOf(header: string | undefined): EbaySite | undefined {
  const id = header === undefined || header === '' ? DEFAULT_EBAY_SITE : header.trim().toUpperCase();
  return (EBAY_SITE_IDS as readonly string[]).includes(id) ? (id as EbaySite) : undefined;
}

/**
 * The whole Best Match list the simulator serves for `q` on `site` at simulated time `at` (default now): the same
 * seeded, drifting shelf as the Naver route, with pinned prices, converted to the site's currency.
 */
export function ebayGroundTruth(control: SimulatorControl, q: string, site: EbaySite, at?: Date): EbayTruthItem[] {
  return control.truth(q, at).map((item) => ({ rank: item.rank, ...toEbayItem(item, site) }));
}

/** One page of the shelf in eBay's shape, `href`/`next`/`prev` relative to `baseUrl`. */
export function ebaySearchPage(
  control: SimulatorControl,
  params: EbaySearchParams,
  baseUrl: string,
): EbaySearchResponse {
  const shelf = control.catalogue.shelf(params.q, control.now().getTime(), 'sim');
  const total = Math.min(shelf.entries.length, EBAY_MAX_DEPTH);
  const entries = shelf.entries.slice(params.offset, Math.min(params.offset + params.limit, total));
  const items = entries.map((entry, i) =>
    toEbayItem(control.priced(toTruthItem(entry, params.offset + i + 1, shelf)), params.site),
  );
  const href = (offset: number): string =>
    `${baseUrl}/buy/browse/v1/item_summary/search?${new URLSearchParams({ q: params.q, limit: String(params.limit), offset: String(offset) }).toString()}`;
  return {
    href: href(params.offset),
    total,
    limit: params.limit,
    offset: params.offset,
    ...(params.offset + params.limit < total ? { next: href(params.offset + params.limit) } : {}),
    ...(params.offset > 0 ? { prev: href(Math.max(0, params.offset - params.limit)) } : {}),
    ...(items.length > 0 ? { itemSummaries: items } : {}),
  };
}
