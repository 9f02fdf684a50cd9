import type { Availability, CrawlItem } from '@shelfwatch/contracts';
import { parseRetryAfter } from '@shelfwatch/resilience';
import { z } from 'zod';
import type { SearchPage } from '../marketplace-adapter';
import { MarketplaceError, marketplaceErrorFromStatus, parseJsonBody } from '../marketplace-error';

/** Wait after `too_many_requests` without a Retry-After: Rakuten allows one request a second per application id. */
export const RAKUTEN_DEFAULT_RETRY_AFTER_MS = 1_000;

/** A number, or a numeric string as some answers (and clients) carry it; "" and null mean absent. */
const numeric = z
  .union([z.number(), z.string().regex(/^\s*\d*(\.\d+)?\s*$/, 'not a number'), z.null()])
  .optional()
  .transform((value) => {
    if (value === undefined || value === null) {
      return null;
    }
    if (typeof value === 'number') {
      return value;
    }
    return value.trim() === '' ? null : Number(value);
  });

const idText = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

/** `mediumImageUrls`: `[{imageUrl}]` in format version 1, plain URLs in version 2. */
const imageUrls = z
  .array(z.union([z.string(), z.object({ imageUrl: z.string().nullish() })]))
  .nullish()
  .transform((urls) => {
    const first = urls?.[0];
    return (typeof first === 'string' ? first : first?.imageUrl) ?? '';
  });

const rakutenItemSchema = z.object({
  itemCode: idText,
  itemName: z.string(),
  itemPrice: numeric.refine((price) => price === null || price >= 0, 'a negative price'),
  itemUrl: optionalText,
  shopName: optionalText,
  shopCode: optionalText,
  mediumImageUrls: imageUrls,
  reviewCount: numeric.refine((count) => count === null || Number.isInteger(count), 'not a count'),
  reviewAverage: numeric.refine((rating) => rating === null || rating <= 5, 'a rating above 5'),
  availability: numeric,
});

/** `Items[]`: `{Item: {...}}` in format version 1 (what the adapter asks for), the item itself in version 2. */
const rakutenEntrySchema = z.union([
  z.object({ Item: rakutenItemSchema }).transform(({ Item }) => Item),
  rakutenItemSchema,
]);

const rakutenSearchSchema = z.object({
  count: numeric,
  Items: z.array(rakutenEntrySchema),
});

type RakutenItem = z.infer<typeof rakutenItemSchema>;

function availabilityOf(flag: number | null): Availability | null {
  if (flag === null) {
    return null;
  }
  return flag === 1 ? 'in_stock' : 'out_of_stock';
}

function toCrawlItem(item: RakutenItem, rank: number): CrawlItem {
  return {
    rank,
    externalId: item.itemCode,
    title: item.itemName,
    mall: item.shopName,
    price: item.itemPrice,
    currency: 'JPY',
    // Rakuten's search answer names no brand, maker or category (only a numeric genreId).
    brand: '',
    maker: '',
    category: '',
    link: item.itemUrl,
    image: item.mediumImageUrls,
    productType: '',
    sellerId: item.shopCode === '' ? null : item.shopCode,
    availability: availabilityOf(item.availability),
    reviewCount: item.reviewCount,
    reviewRating: item.reviewAverage,
    placement: 'organic',
  };
}

/** A raw HTTP answer from the Item Search endpoint. */
export interface RakutenHttpAnswer {
  status: number;
  text: string;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null;
  /** The rank of the page's first result: `(page - 1) * hits + 1`. */
  firstRank: number;
  /** Epoch ms of the answer (injected clock). */
  nowMs: number;
}

const errorEnvelope = z.object({ error: z.string().min(1), error_description: z.string().optional() });

/** The `error` code and description of a Rakuten error body, if the body is one. */
export function rakutenErrorOf(body: unknown): { code: string; description: string } | undefined {
  const parsed = errorEnvelope.safeParse(body);
  return parsed.success ? { code: parsed.data.error, description: parsed.data.error_description ?? '' } : undefined;
}

/** A `wrong_parameter` description naming a credential parameter: the credentials are wrong, not the request. */
const CREDENTIAL_PARAMETER = /applicationId|accessKey/i;

type ErrorDetails = { httpStatus: number; upstreamCode: string; message: string };

function mapRakutenCode(code: string, retryAfterMs: number | undefined, details: ErrorDetails): MarketplaceError {
  switch (code) {
    case 'wrong_parameter':
      // The documented host refuses an unknown application id (or access key) as a wrong parameter.
      return new MarketplaceError(CREDENTIAL_PARAMETER.test(details.message) ? 'auth_failed' : 'bad_request', details);
    case 'too_many_requests':
      return MarketplaceError.throttled(retryAfterMs ?? RAKUTEN_DEFAULT_RETRY_AFTER_MS, details);
    case 'system_error':
    case 'service_unavailable':
      return new MarketplaceError('upstream_error', details);
    default:
      // An unknown code: its HTTP status decides, and an error body with a success status breaks the contract.
      return (
        marketplaceErrorFromStatus(details.httpStatus, {
          ...details,
          retryAfterMs,
          defaultRetryAfterMs: RAKUTEN_DEFAULT_RETRY_AFTER_MS,
        }) ?? new MarketplaceError('invalid_response', details)
      );
  }
}

/**
 * The page an answer stands for, or the `MarketplaceError` it is: `not_found` (Rakuten's "no item matched") is an
 * empty page; `wrong_parameter` a bad request; `too_many_requests` throttling; `system_error` and
 * `service_unavailable` upstream errors; 401/403 without a known code an auth failure; a body that is not the
 * contract (also not JSON) `invalid_response`.
 */
export function parseRakutenAnswer(answer: RakutenHttpAnswer): SearchPage {
  const body = parseJsonBody(answer.text);
  const rakuten = rakutenErrorOf(body);
  const retryAfterMs = parseRetryAfter(answer.retryAfter, () => answer.nowMs);
  if (rakuten?.code === 'not_found') {
    return { total: 0, items: [] };
  }
  if (rakuten !== undefined) {
    const message = `Rakuten ${rakuten.code}: ${rakuten.description}`;
    throw mapRakutenCode(rakuten.code, retryAfterMs, {
      httpStatus: answer.status,
      upstreamCode: rakuten.code,
      message,
    });
  }
  const byStatus = marketplaceErrorFromStatus(answer.status, {
    retryAfterMs,
    defaultRetryAfterMs: RAKUTEN_DEFAULT_RETRY_AFTER_MS,
  });
  if (byStatus !== undefined) {
    throw byStatus;
  }
  const parsed = rakutenSearchSchema.safeParse(body);
  if (!parsed.success) {
    throw new MarketplaceError('invalid_response', {
      httpStatus: answer.status,
      message: `Rakuten search body is not the contract: ${z.prettifyError(parsed.error).slice(0, 500)}`,
    });
  }
  const items = parsed.data.Items.map((item, index) => toCrawlItem(item, answer.firstRank + index));
  // Without a count the results known end with this page, so the crawl stops here rather than guess.
  return { total: parsed.data.count ?? answer.firstRank - 1 + items.length, items };
}
