import { type CrawlItem, currencyCode } from '@shelfwatch/contracts';
import { parseRetryAfter } from '@shelfwatch/resilience';
import { z } from 'zod';
import type { SearchPage } from '../marketplace-adapter';
import { MarketplaceError, marketplaceErrorFromStatus } from '../marketplace-error';

/** Wait after a 429 that carries no Retry-After. */
export const EBAY_DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * eBay's "Too many requests. The request limit has been reached for the resource." (HTTP 429, domain ACCESS). It is
 * the error of an exhausted daily call limit: eBay blocks over-limit calls until the limit resets.
 */
export const EBAY_CALL_LIMIT_ERROR_ID = 2001;

const PACIFIC = 'America/Los_Angeles';
const pacificParts = new Intl.DateTimeFormat('en-US', {
  timeZone: PACIFIC,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The wall-clock fields of `atMs` in Pacific time. */
function pacificWallClock(atMs: number): { year: number; month: number; day: number; wallAsUtcMs: number } {
  const fields = Object.fromEntries(
    pacificParts
      .formatToParts(new Date(atMs))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  const { year, month, day, hour, minute, second } = fields;
  return { year, month, day, wallAsUtcMs: Date.UTC(year, month - 1, day, hour, minute, second) };
}

/**
 * Next midnight in America/Los_Angeles after `nowMs`: when eBay's daily call limits reset. Pacific time has daylight
 * saving (UTC-8 in winter, UTC-7 in summer); the offset is read from the time-zone database for the new day's first
 * hours, which the DST switch (at 02:00) never touches.
 */
export function nextPacificMidnight(nowMs: number): Date {
  const today = pacificWallClock(nowMs);
  const nextDayAsUtc = Date.UTC(today.year, today.month - 1, today.day + 1);
  // 08:00 UTC on that day is 00:00 PST or 01:00 PDT, so its offset is the one in force at midnight.
  const probe = nextDayAsUtc + 8 * 3_600_000;
  const offsetMs = pacificWallClock(probe).wallAsUtcMs - Math.floor(probe / 1_000) * 1_000;
  return new Date(nextDayAsUtc - offsetMs);
}

// eBay sends amounts as decimal strings ("19.99"); a missing or unreadable price is null, never 0, so that an
// unpriced listing is never taken for the cheapest offer.
const amount = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => {
    const number = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
  });

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

const ebayItemSchema = z.object({
  itemId: z.string().min(1),
  title: optionalText,
  price: z.object({ value: amount, currency: z.string().nullish() }).nullish(),
  seller: z.object({ username: z.string().nullish() }).nullish(),
  condition: z.string().max(100).nullish(),
  itemWebUrl: optionalText,
  image: z.object({ imageUrl: optionalText }).nullish(),
  categories: z.array(z.object({ categoryName: optionalText })).nullish(),
  buyingOptions: z.array(z.string()).nullish(),
});

const ebaySearchSchema = z.object({
  total: z.number().int().nonnegative(),
  // Absent when the page is empty.
  itemSummaries: z.array(ebayItemSchema).nullish(),
  next: z.string().nullish(),
});

type EbayItem = z.infer<typeof ebayItemSchema>;

function toCrawlItem(item: EbayItem, rank: number, siteCurrency: string): CrawlItem {
  const price = item.price?.value ?? null;
  const listedCurrency = currencyCode.safeParse(item.price?.currency);
  const seller = item.seller?.username ?? null;
  return {
    rank,
    externalId: item.itemId,
    title: item.title,
    mall: seller ?? '',
    price,
    // The Browse search results carry no brand or maker; the primary category is the first one listed.
    brand: '',
    maker: '',
    category: item.categories?.[0]?.categoryName ?? '',
    link: item.itemWebUrl,
    image: item.image?.imageUrl ?? '',
    productType: (item.buyingOptions ?? []).join(','),
    currency: price !== null && listedCurrency.success ? listedCurrency.data : siteCurrency,
    sellerId: seller,
    condition: item.condition ?? null,
    placement: 'organic',
  };
}

/** A raw HTTP answer from the Browse search endpoint. */
export interface EbayHttpAnswer {
  status: number;
  text: string;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null;
  /** 1-based position of the first result asked for (offset + 1), so `items[i].rank = start + i`. */
  start: number;
  /** The currency of the site searched, for results without a price. */
  siteCurrency: string;
  /** Epoch ms of the answer (injected clock). */
  nowMs: number;
}

/** The JSON of a body, or undefined when it is not JSON (a gateway's HTML page). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const errorEnvelope = z.object({
  errors: z
    .array(
      z.object({
        errorId: z.number().int(),
        domain: z.string().nullish(),
        category: z.string().nullish(),
        message: z.string().nullish(),
        longMessage: z.string().nullish(),
      }),
    )
    .min(1),
});

/** The first error of an eBay error body (`{errors: [{errorId, domain, category, message}]}`), if it is one. */
export function ebayErrorOf(body: unknown): { errorId: number; message: string } | undefined {
  const parsed = errorEnvelope.safeParse(body);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  return first === undefined ? undefined : { errorId: first.errorId, message: first.message ?? '' };
}

/**
 * Maps a failed search answer: 401/403 auth, 429 with errorId 2001 and no Retry-After the daily call limit (until the
 * next Pacific midnight), any other 429 throttled, 400/404 bad request, 5xx upstream error.
 * @returns undefined when the status is not an error
 */
export function mapEbayError(answer: EbayHttpAnswer, body: unknown): MarketplaceError | undefined {
  if (answer.status < 400) {
    return undefined;
  }
  const ebay = ebayErrorOf(body);
  const retryAfterMs = parseRetryAfter(answer.retryAfter, () => answer.nowMs);
  const options = {
    httpStatus: answer.status,
    upstreamCode: ebay === undefined ? undefined : String(ebay.errorId),
    message: ebay === undefined ? undefined : `eBay ${ebay.errorId}: ${ebay.message}`,
  };
  // A per-second throttle says when to come back; the spent daily limit does not (it lasts until the reset).
  if (answer.status === 429 && ebay?.errorId === EBAY_CALL_LIMIT_ERROR_ID && retryAfterMs === undefined) {
    return MarketplaceError.quotaExhausted(nextPacificMidnight(answer.nowMs), options);
  }
  return marketplaceErrorFromStatus(answer.status, {
    ...options,
    retryAfterMs,
    defaultRetryAfterMs: EBAY_DEFAULT_RETRY_AFTER_MS,
  });
}

/** Turns a Browse search answer into a page, or throws the `MarketplaceError` it stands for. */
export function parseEbayAnswer(answer: EbayHttpAnswer): SearchPage {
  const body = parseJson(answer.text);
  const failure = mapEbayError(answer, body);
  if (failure !== undefined) {
    throw failure;
  }
  const parsed = ebaySearchSchema.safeParse(body);
  if (!parsed.success) {
    throw new MarketplaceError('invalid_response', {
      httpStatus: answer.status,
      message: `eBay search body is not the contract: ${z.prettifyError(parsed.error).slice(0, 500)}`,
    });
  }
  return {
    total: parsed.data.total,
    items: (parsed.data.itemSummaries ?? []).map((item, index) =>
      toCrawlItem(item, answer.start + index, answer.siteCurrency),
    ),
  };
}
