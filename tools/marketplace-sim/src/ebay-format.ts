import { EBAY_SITES, type EbaySite } from '@shelfwatch/contracts';
import { TruthItem } from './ground-truth';
import { NaverError } from './naver-format';

/**
 * Fixed exchange rates the simulator converts the catalogue's KRW prices with: KRW per unit of each eBay site's
 * currency. Round numbers, not market rates: a test can compute every price by hand.
 */
export const KRW_PER_UNIT: Readonly<Record<string, number>> = {
  USD: 1_400,
  EUR: 1_500,
  GBP: 1_750,
  AUD: 900,
  CAD: 1_000,
};

/** The web domain of each site, for `itemWebUrl`. */
const SITE_DOMAINS: Record<EbaySite, string> = {
  EBAY_US: 'ebay.com',
  EBAY_GB: 'ebay.co.uk',
  EBAY_DE: 'ebay.de',
  EBAY_FR: 'ebay.fr',
  EBAY_IT: 'ebay.it',
  EBAY_ES: 'ebay.es',
  EBAY_AU: 'ebay.com.au',
  EBAY_CA: 'ebay.ca',
};

/** One `itemSummaries[]` entry as the Browse API sends it (the fields the simulator fills). */
export interface EbayItemSummary {
  itemId: string;
  title: string;
  /** Absent for a listing without a price; `value` is a decimal string with two places. */
  price?: { value: string; currency: string };
  seller: { username: string; feedbackPercentage: string; feedbackScore: number };
  condition: string;
  conditionId: string;
  itemWebUrl: string;
  /** Absent when the listing has no picture. */
  image?: { imageUrl: string };
  categories: { categoryName: string }[];
  buyingOptions: string[];
}

/** The `item_summary/search` body. */
export interface EbaySearchResponse {
  href: string;
  total: number;
  limit: number;
  offset: number;
  next?: string;
  prev?: string;
  /** Absent when the page is empty, as eBay sends it. */
  itemSummaries?: EbayItemSummary[];
}

/** eBay's REST error container. */
export interface EbayErrorBody {
  errors: { errorId: number; domain: string; category: string; message: string; longMessage?: string }[];
}

/** A KRW price in `currency`, two decimals; null for no price (KRW 0). */
export function convertPrice(krw: number, currency: string): string | null {
  const rate = KRW_PER_UNIT[currency];
  if (krw === 0 || rate === undefined) {
    return null;
  }
  return (krw / rate).toFixed(2);
}

/** A catalogue item as one eBay listing of `site`. */
export function toEbayItem(item: TruthItem, site: EbaySite): EbayItemSummary {
  const currency = EBAY_SITES[site];
  const value = convertPrice(item.lprice, currency);
  // The catalogue's product types 4–6 are used goods.
  const used = item.productType >= 4 && item.productType <= 6;
  const category = [item.category4, item.category3, item.category2, item.category1].find((name) => name !== '');
  return {
    itemId: `v1|${item.productId}|0`,
    title: item.title,
    ...(value === null ? {} : { price: { value, currency } }),
    seller: { username: item.mallName, feedbackPercentage: '99.0', feedbackScore: 100 },
    condition: used ? 'Used' : 'New',
    conditionId: used ? '3000' : '1000',
    itemWebUrl: `https://www.${SITE_DOMAINS[site]}/itm/${item.productId}`,
    ...(item.image === '' ? {} : { image: { imageUrl: item.image } }),
    categories: category === undefined ? [] : [{ categoryName: category }],
    buyingOptions: ['FIXED_PRICE'],
  };
}

/** The errors the simulator answers on eBay's routes. */
export type EbayError =
  | { kind: 'invalid_token' }
  | { kind: 'throttled' }
  | { kind: 'call_limit' }
  | { kind: 'internal' }
  | { kind: 'bad_parameter'; name: 'q' | 'limit' | 'offset' | 'X-EBAY-C-MARKETPLACE-ID'; value: string };

/** eBay's status, headers and body for `error`. Request errors use ids of eBay's 12xxx API_BROWSE range. */
export function ebayError(error: EbayError): { status: number; headers: Record<string, string>; body: EbayErrorBody } {
  const of = (
    status: number,
    errorId: number,
    domain: string,
    category: string,
    message: string,
    longMessage?: string,
  ) => ({
    status,
    headers: {},
    body: { errors: [{ errorId, domain, category, message, ...(longMessage === undefined ? {} : { longMessage }) }] },
  });
  switch (error.kind) {
    case 'invalid_token':
      return of(
        401,
        1001,
        'OAuth',
        'REQUEST',
        'Invalid access token',
        'Invalid access token. Check the value of the Authorization HTTP request header.',
      );
    case 'throttled':
      // The short throttle says when to come back; the spent call limit (same id) does not.
      return { ...ebayError({ kind: 'call_limit' }), headers: { 'retry-after': '1' } };
    case 'call_limit':
      return of(
        429,
        2001,
        'ACCESS',
        'REQUEST',
        'Too many requests.',
        'The request limit has been reached for the resource.',
      );
    case 'internal':
      return of(
        500,
        10001,
        'API_BROWSE',
        'APPLICATION',
        'There was a problem with an eBay internal system or process.',
      );
    case 'bad_parameter':
      return of(
        400,
        BAD_PARAMETER_IDS[error.name],
        'API_BROWSE',
        'REQUEST',
        `The value of ${error.name} is invalid: "${error.value}".`,
      );
    default: {
      const unreachable: never = error;
      throw new Error(`unknown error ${JSON.stringify(unreachable)}`);
    }
  }
}

const BAD_PARAMETER_IDS = { q: 12000, limit: 12001, offset: 12002, 'X-EBAY-C-MARKETPLACE-ID': 12003 } as const;

/** The eBay error a shared fault stands for (the faults are written in Naver's vocabulary). */
export function ebayErrorOfFault(fault: NaverError): EbayError {
  switch (fault.kind) {
    case 'auth':
      return { kind: 'invalid_token' };
    case 'throttled':
      return { kind: 'throttled' };
    case 'quota':
      return { kind: 'call_limit' };
    case 'SE99':
      return { kind: 'internal' };
    case 'SE01':
    case 'SE02':
    case 'SE03':
    case 'SE04':
    case 'SE05':
    case 'SE06':
      return { kind: 'bad_parameter', name: 'q', value: fault.kind };
    default: {
      const unreachable: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}
