import type { CrawlItem } from '@shelfwatch/contracts';
import { parseRetryAfter } from '@shelfwatch/resilience';
import { z } from 'zod';
import type { SearchPage } from '../marketplace-adapter';
import { MarketplaceError, marketplaceErrorFromStatus, parseJsonBody } from '../marketplace-error';

/** Wait after a `012` throttle that carries no Retry-After. */
export const NAVER_DEFAULT_RETRY_AFTER_MS = 1_000;

const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Next midnight in Asia/Seoul (UTC+9 all year, no DST) after `nowMs`: when Naver's daily quota resets. */
export function nextSeoulMidnight(nowMs: number): Date {
  const seoulDay = Math.floor((nowMs + SEOUL_OFFSET_MS) / DAY_MS);
  return new Date((seoulDay + 1) * DAY_MS - SEOUL_OFFSET_MS);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Removes the `<b>`/`</b>` highlight Naver wraps around matched terms, then decodes basic HTML entities. */
export function cleanTitle(raw: string): string {
  return raw
    .replace(/<\/?b>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => decodeEntity(whole, name));
}

function decodeEntity(whole: string, name: string): string {
  if (name.startsWith('#')) {
    const hex = name[1] === 'x' || name[1] === 'X';
    const codePoint = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  }
  return ENTITIES[name.toLowerCase()] ?? whole;
}

// The guide says integer; real payloads (and several clients) carry strings, "" (or null) meaning no price:
// that is null, never 0, so that an unpriced listing is never taken for the cheapest offer.
const price = z
  .union([z.number().nonnegative(), z.string().regex(/^\s*\d*(\.\d+)?\s*$/, 'not a price'), z.null()])
  .transform((value) => (typeof value === 'string' ? (value.trim() === '' ? null : Number(value)) : value));

const idText = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

const naverItemSchema = z.object({
  title: z.string(),
  link: optionalText,
  image: optionalText,
  lprice: price,
  mallName: optionalText,
  productId: idText,
  productType: idText,
  brand: optionalText,
  maker: optionalText,
  category1: optionalText,
  category2: optionalText,
  category3: optionalText,
  category4: optionalText,
});

const naverSearchSchema = z.object({
  total: count,
  items: z.array(naverItemSchema),
});

type NaverItem = z.infer<typeof naverItemSchema>;

function toCrawlItem(item: NaverItem, rank: number): CrawlItem {
  return {
    rank,
    externalId: item.productId,
    title: cleanTitle(item.title),
    mall: item.mallName,
    price: item.lprice,
    brand: item.brand,
    maker: item.maker,
    category: [item.category1, item.category2, item.category3, item.category4].filter((c) => c !== '').join('>'),
    link: item.link,
    image: item.image,
    productType: item.productType,
  };
}

/** A raw HTTP answer from the shopping search endpoint. */
export interface NaverHttpAnswer {
  status: number;
  /** The body as text (Naver's gateway may label JSON as text/plain). */
  text: string;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null;
  /** `start` of the request, so `items[i].rank = start + i`. */
  start: number;
  /** Epoch ms of the answer (injected clock). */
  nowMs: number;
}

const errorEnvelope = z.object({ errorCode: z.union([z.string(), z.number()]), errorMessage: z.string().optional() });
// NAVER API HUB gateway shape: {"error":{"errorCode":"...","message":"..."}}.
const hubEnvelope = z.object({
  error: z.object({ errorCode: z.union([z.string(), z.number()]), message: z.string().optional() }),
});

/** The `errorCode` and message of a Naver error body (classic or API HUB shape), if the body is one. */
export function naverErrorOf(body: unknown): { code: string; message: string } | undefined {
  const classic = errorEnvelope.safeParse(body);
  if (classic.success) {
    return { code: String(classic.data.errorCode), message: classic.data.errorMessage ?? '' };
  }
  const hub = hubEnvelope.safeParse(body);
  return hub.success ? { code: String(hub.data.error.errorCode), message: hub.data.error.message ?? '' } : undefined;
}

type ErrorDetails = { httpStatus: number; upstreamCode: string | undefined; message: string | undefined };

function mapNaverCode(
  code: string,
  answer: NaverHttpAnswer,
  retryAfterMs: number | undefined,
  options: ErrorDetails,
): MarketplaceError | undefined {
  switch (code) {
    case '010':
      return MarketplaceError.quotaExhausted(nextSeoulMidnight(answer.nowMs), options);
    case '012':
      return MarketplaceError.throttled(retryAfterMs ?? NAVER_DEFAULT_RETRY_AFTER_MS, options);
    case '024':
      return new MarketplaceError('auth_failed', options);
    case 'SE99':
      return new MarketplaceError('upstream_error', options);
    default:
      if (/^SE0\d$/.test(code)) {
        return new MarketplaceError('bad_request', options);
      }
      // An unknown code with a success status: neither the search contract nor a known failure.
      return answer.status < 400 ? new MarketplaceError('invalid_response', options) : undefined;
  }
}

/**
 * Maps a Naver error (by `errorCode` first, else by HTTP status), whatever the status it came with:
 * `010` quota until the next Seoul midnight, `012` throttled, `024` auth, `SE01`–`SE06` bad request,
 * `SE99` upstream error.
 * @returns undefined when the answer is not an error
 */
export function mapNaverError(answer: NaverHttpAnswer, body: unknown): MarketplaceError | undefined {
  const naver = naverErrorOf(body);
  const retryAfterMs = parseRetryAfter(answer.retryAfter, () => answer.nowMs);
  const options = {
    httpStatus: answer.status,
    upstreamCode: naver?.code,
    message: naver === undefined ? undefined : `Naver ${naver.code}: ${naver.message}`,
  };
  const byCode = naver === undefined ? undefined : mapNaverCode(naver.code, answer, retryAfterMs, options);
  if (byCode !== undefined) {
    return byCode;
  }
  return marketplaceErrorFromStatus(answer.status, {
    ...options,
    retryAfterMs,
    defaultRetryAfterMs: NAVER_DEFAULT_RETRY_AFTER_MS,
  });
}

/**
 * Turns a shopping-search answer into a page, or throws the `MarketplaceError` it stands for (also for an
 * error body sent with HTTP 200, and `invalid_response` for a body that is not the contract).
 */
export function parseNaverAnswer(answer: NaverHttpAnswer): SearchPage {
  const body = parseJsonBody(answer.text);
  const failure = mapNaverError(answer, body);
  if (failure !== undefined) {
    throw failure;
  }
  const parsed = naverSearchSchema.safeParse(body);
  if (!parsed.success) {
    throw new MarketplaceError('invalid_response', {
      httpStatus: answer.status,
      message: `Naver search body is not the contract: ${z.prettifyError(parsed.error).slice(0, 500)}`,
    });
  }
  return {
    total: parsed.data.total,
    items: parsed.data.items.map((item, index) => toCrawlItem(item, answer.start + index)),
  };
}
