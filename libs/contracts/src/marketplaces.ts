/**
 * The marketplaces ShelfWatch crawls, and what each one's search API can tell: the facts every service shares
 * (ids, sites, currencies, what a result row may carry). How to talk to each lives in the crawler's adapters.
 */
import { z } from 'zod';

/** Marketplaces the crawler can search: a product on any other could never be crawled. */
export const MARKETPLACES = ['naver', 'ebay', 'rakuten'] as const;
export type Marketplace = (typeof MARKETPLACES)[number];

/**
 * eBay sites ShelfWatch crawls (the Browse API's `X-EBAY-C-MARKETPLACE-ID`), each with the currency its prices are
 * listed in. A product on eBay names its site; the default is {@link DEFAULT_EBAY_SITE}.
 */
export const EBAY_SITES = {
  EBAY_US: 'USD',
  EBAY_GB: 'GBP',
  EBAY_DE: 'EUR',
  EBAY_FR: 'EUR',
  EBAY_IT: 'EUR',
  EBAY_ES: 'EUR',
  EBAY_AU: 'AUD',
  EBAY_CA: 'CAD',
} as const;
export type EbaySite = keyof typeof EBAY_SITES;
export const EBAY_SITE_IDS = Object.keys(EBAY_SITES) as EbaySite[];
export const DEFAULT_EBAY_SITE: EbaySite = 'EBAY_US';

/** The one site of a marketplace that has no sites (Naver, Rakuten): products and keywords carry `site: null`. */
export const NO_SITE = null;

/** ISO 4217 code, three capital letters. (Pure: the dashboard bundles this file's constants without zod.) */
export const currencyCode = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code like KRW' })
  .meta({ examples: ['KRW'] });

/** The currency a marketplace (and, for eBay, a site) lists its prices in. Data older than currencies is KRW. */
export function marketplaceCurrency(marketplace: string, site?: string | null): string {
  switch (marketplace) {
    case 'ebay':
      return EBAY_SITES[(site ?? DEFAULT_EBAY_SITE) as EbaySite] ?? 'USD';
    case 'rakuten':
      return 'JPY';
    default:
      return 'KRW';
  }
}

/** The site a product of a marketplace is on: eBay's (validated, default EBAY_US), null for the others. */
export function normalizeSite(marketplace: string, site: string | null | undefined): string | null {
  if (marketplace !== 'ebay') {
    return null;
  }
  return (site ?? DEFAULT_EBAY_SITE).trim().toUpperCase();
}

/**
 * How faithfully a result's position is the shopper's position: `exact` when the API returns the shelf in the
 * order shoppers see it (Naver `sort=sim`, Rakuten `sort=standard`), `approximate` when the API's order is a
 * relative of it (eBay Browse "Best Match" differs by buyer, location and session).
 */
export const ORDER_FIDELITIES = ['exact', 'approximate'] as const;
export type OrderFidelity = (typeof ORDER_FIDELITIES)[number];

/** Where a result sits on the shelf: paid placements are `sponsored`. All three APIs return organic results only. */
export const PLACEMENTS = ['organic', 'sponsored'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Whether the listing can be bought now, as the marketplace says it (null when it does not say). */
export const AVAILABILITIES = ['in_stock', 'limited', 'out_of_stock'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** Optional fields of a result row a marketplace may provide. */
export const RESULT_FIELDS = ['seller', 'availability', 'reviews', 'placement', 'condition'] as const;
export type ResultField = (typeof RESULT_FIELDS)[number];

/**
 * What one marketplace's search API can do, declared by its adapter so the core never special-cases one, and shown
 * by `GET /v1/marketplaces`.
 */
export interface MarketplaceCapabilities {
  /** Results per request at most. */
  pageSize: number;
  /** Deepest position the API can return (Naver 1,100; eBay 10,000; Rakuten 3,000). */
  maxDepth: number;
  /** Requests per second and per day one credential may send (the documented defaults). */
  ratePerSecond: number;
  dailyQuota: number;
  orderFidelity: OrderFidelity;
  /** Which optional result fields this marketplace fills. */
  fields: ResultField[];
  /** Currencies its prices come in. */
  currencies: string[];
  /** Sites a product may be on (eBay); empty when the marketplace has one. */
  sites: string[];
  /** The marketplace's locale(s), e.g. `ko-KR`. */
  locales: string[];
}
