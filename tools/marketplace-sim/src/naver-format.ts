import { NormalizedQuery } from './catalogue';
import { TruthItem } from './ground-truth';

/** One item of `shop.json` exactly as Naver sends it: numbers as strings, as real payloads often carry them. */
export interface NaverItem {
  title: string;
  link: string;
  image: string;
  /** "" when the listing has no price (as Naver sends some), never "0". */
  lprice: string;
  /** "" when there is no highest price (every product that is not a price-comparison product). */
  hprice: string;
  mallName: string;
  productId: string;
  productType: string;
  brand: string;
  maker: string;
  category1: string;
  category2: string;
  category3: string;
  category4: string;
}

/** The `shop.json` body. */
export interface NaverSearchResponse {
  lastBuildDate: string;
  total: number;
  start: number;
  display: number;
  items: NaverItem[];
}

/** Naver's error envelope. */
export interface NaverErrorBody {
  errorMessage: string;
  errorCode: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const KST_OFFSET_MS = 9 * 3_600_000;

const pad = (value: number): string => String(value).padStart(2, '0');

/** RFC 1123 in Korea time, as Naver writes `lastBuildDate`: "Tue, 04 Oct 2016 13:23:58 +0900". */
export function rfc1123Kst(atMs: number): string {
  const kst = new Date(atMs + KST_OFFSET_MS);
  const day = DAYS[kst.getUTCDay()] ?? 'Sun';
  const month = MONTHS[kst.getUTCMonth()] ?? 'Jan';
  const time = `${pad(kst.getUTCHours())}:${pad(kst.getUTCMinutes())}:${pad(kst.getUTCSeconds())}`;
  return `${day}, ${pad(kst.getUTCDate())} ${month} ${kst.getUTCFullYear()} ${time} +0900`;
}

/**
 * Wraps every title word equal (case-insensitively) to a query word in `<b>…</b>`, as Naver marks matches.
 * Stripping the tags gives back the plain title exactly.
 */
export function highlight(title: string, query: NormalizedQuery): string {
  if (query.tokens.length === 0) {
    return title;
  }
  const terms = new Set(query.tokens);
  return title
    .split(' ')
    .map((word) => (terms.has(word.toLowerCase()) ? `<b>${word}</b>` : word))
    .join(' ');
}

/** A ground-truth item as it travels over the wire. */
export function toNaverItem(item: TruthItem, query: NormalizedQuery): NaverItem {
  return {
    title: highlight(item.title, query),
    link: item.link,
    image: item.image,
    lprice: item.lprice === 0 ? '' : String(item.lprice),
    hprice: item.hprice === null ? '' : String(item.hprice),
    mallName: item.mallName,
    productId: item.productId,
    productType: String(item.productType),
    brand: item.brand,
    maker: item.maker,
    category1: item.category1,
    category2: item.category2,
    category3: item.category3,
    category4: item.category4,
  };
}

/** The errors the simulator can answer, each with Naver's HTTP status, code and message. */
export type NaverError =
  | { kind: 'SE01' }
  | { kind: 'SE02' }
  | { kind: 'SE03' }
  | { kind: 'SE04' }
  | { kind: 'SE05' }
  | { kind: 'SE06' }
  | { kind: 'SE99' }
  | { kind: 'auth'; missing: 'id' | 'secret' }
  | { kind: 'throttled' }
  | { kind: 'quota'; count: number; quota: number };

const AUTH_FAILED = 'Authentication failed. (인증에 실패했습니다.)';

/** Naver's status and body for `error`. */
export function naverError(error: NaverError): { status: number; body: NaverErrorBody } {
  const of = (status: number, errorCode: string, errorMessage: string) => ({
    status,
    body: { errorMessage, errorCode },
  });
  switch (error.kind) {
    case 'SE01':
      return of(400, 'SE01', 'Incorrect query request (잘못된 쿼리요청입니다.)');
    case 'SE02':
      return of(400, 'SE02', 'Invalid display value (부적절한 display 값입니다.)');
    case 'SE03':
      return of(400, 'SE03', 'Invalid start value (부적절한 start 값입니다.)');
    case 'SE04':
      return of(400, 'SE04', 'Invalid sort value (부적절한 sort 값입니다.)');
    case 'SE05':
      return of(404, 'SE05', 'Invalid search api (존재하지 않는 검색 api 입니다.)');
    case 'SE06':
      return of(400, 'SE06', 'Malformed encoding (잘못된 형식의 인코딩입니다.)');
    case 'SE99':
      return of(500, 'SE99', 'System Error (시스템 에러)');
    case 'auth':
      return of(
        401,
        '024',
        `${error.missing === 'id' ? 'Not Exist Client ID' : 'Invalid Client Secret'} : ${AUTH_FAILED}`,
      );
    case 'throttled':
      return of(429, '012', 'Rate limit exceeded. (속도 제한을 초과했습니다.)');
    case 'quota':
      return of(
        429,
        '010',
        `{count/quota=${error.count}/${error.quota}} : Query limit exceeded. (쿼리 한도를 초과했습니다.)`,
      );
    default: {
      const unreachable: never = error;
      throw new Error(`unknown error ${JSON.stringify(unreachable)}`);
    }
  }
}
