import { TruthItem } from './ground-truth';
import { NaverError } from './naver-format';
import { hashText, unit } from './prng';
import { SimulatorControl } from './simulator-control';

/**
 * Won per yen the simulator converts the catalogue's KRW prices with: a round number, not the market rate, so a
 * test can compute every price by hand (KRW 29,900 is JPY 2,990). Yen prices are whole numbers.
 */
export const KRW_PER_JPY = 10;

/** Rakuten's documented limits: at most 30 results a page and 100 pages. */
export const RAKUTEN_MAX_HITS = 30;
export const RAKUTEN_MAX_PAGE = 100;

/** One `Items[].Item` as the Item Search API (format version 1) sends it: the fields the simulator fills. */
export interface RakutenItem {
  itemName: string;
  /** `shopCode:itemId`, as Rakuten composes it. */
  itemCode: string;
  /** Yen; absent for a catalogue listing without a price. */
  itemPrice?: number;
  itemUrl: string;
  shopName: string;
  shopCode: string;
  mediumImageUrls: { imageUrl: string }[];
  /** 1 in stock, 0 sold out. */
  availability: 0 | 1;
  reviewCount: number;
  /** 0 without reviews, else 1.00–5.00. */
  reviewAverage: number;
  postageFlag: 0 | 1;
}

/** A listing as the Rakuten route serves it, with its 1-based position in `sort=standard` order. */
export type RakutenTruthItem = RakutenItem & { rank: number };

/** The search body (format version 1; version 2 puts the item itself in `Items[]`). */
export interface RakutenSearchResponse {
  count: number;
  page: number;
  first: number;
  last: number;
  hits: number;
  carrier: number;
  pageCount: number;
  Items: ({ Item: RakutenItem } | RakutenItem)[];
}

/** Rakuten's error body. */
export interface RakutenErrorBody {
  error: string;
  error_description: string;
}

/** The errors the Rakuten route answers. */
export type RakutenError =
  | { kind: 'wrong_parameter'; description: string }
  | { kind: 'not_found' }
  | { kind: 'too_many_requests' }
  | { kind: 'system_error' }
  | { kind: 'service_unavailable' };

/** Rakuten's status and body for `error`. */
export function rakutenError(error: RakutenError): { status: number; body: RakutenErrorBody } {
  const of = (status: number, code: string, description: string) => ({
    status,
    body: { error: code, error_description: description },
  });
  switch (error.kind) {
    case 'wrong_parameter':
      return of(400, 'wrong_parameter', error.description);
    case 'not_found':
      return of(404, 'not_found', 'not found');
    case 'too_many_requests':
      return of(
        429,
        'too_many_requests',
        'number of allowed requests has been exceeded for this API. please try again soon.',
      );
    case 'system_error':
      return of(500, 'system_error', 'api logic error');
    case 'service_unavailable':
      return of(503, 'service_unavailable', 'IchibaItem/Search is under maintenance');
    default: {
      const unreachable: never = error;
      throw new Error(`unknown error ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The shared fault switches in Rakuten's words: refused credentials are an invalid application id, the throttle and
 * the daily quota both `too_many_requests` (Rakuten has no other limit error), a server error `system_error`.
 */
export function rakutenErrorOfFault(error: NaverError): RakutenError {
  switch (error.kind) {
    case 'auth':
      return { kind: 'wrong_parameter', description: 'specify valid applicationId' };
    case 'throttled':
    case 'quota':
      return { kind: 'too_many_requests' };
    case 'SE99':
      return { kind: 'system_error' };
    case 'SE01':
    case 'SE02':
    case 'SE03':
    case 'SE04':
    case 'SE05':
    case 'SE06':
      return { kind: 'wrong_parameter', description: 'parameter is not valid' };
    default: {
      const unreachable: never = error;
      throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The shop code of a mall: Rakuten's are lower-case ASCII; the catalogue's mall names are not. */
export function shopCodeOf(mallName: string): string {
  return `shop-${hashText(16, mallName).toString(36)}`;
}

/** A catalogue item as one Rakuten listing: yen price, shop, and stock and reviews drawn from its id. */
export function toRakutenItem(item: TruthItem): RakutenItem {
  const shopCode = shopCodeOf(item.mallName);
  const draw = (salt: number) => unit(hashText(salt, item.productId));
  const reviewCount = draw(1) < 0.2 ? 0 : Math.floor(draw(2) * 3_000);
  return {
    itemName: item.title,
    itemCode: `${shopCode}:${item.productId}`,
    ...(item.lprice === 0 ? {} : { itemPrice: Math.round(item.lprice / KRW_PER_JPY) }),
    itemUrl: `https://item.rakuten.co.jp/${shopCode}/${item.productId}/`,
    shopName: item.mallName,
    shopCode,
    mediumImageUrls: item.image === '' ? [] : [{ imageUrl: item.image }],
    availability: draw(3) < 0.1 ? 0 : 1,
    reviewCount,
    reviewAverage: reviewCount === 0 ? 0 : Math.round((1 + draw(4) * 4) * 100) / 100,
    postageFlag: draw(5) < 0.5 ? 0 : 1,
  };
}

/**
 * The whole `sort=standard` list the Rakuten route serves for `keyword` at simulated time `at` (default now): the
 * same seeded, drifting shelf as the Naver route, pinned prices included, in yen. Tests compare crawls with it.
 */
export function rakutenGroundTruth(control: SimulatorControl, keyword: string, at?: Date): RakutenTruthItem[] {
  return control.truth(keyword, at).map((item) => ({ rank: item.rank, ...toRakutenItem(item) }));
}
