import { EXCLUSIONS, Exclusion, ShelfFilter, SORT_ORDERS, SortOrder } from './catalogue';
import { NaverError } from './naver-format';

/** The validated parameters of one `shop.json` request. */
export interface SearchParams {
  readonly query: string;
  readonly display: number;
  readonly start: number;
  readonly sort: SortOrder;
  readonly filter: ShelfFilter;
}

/** Either the parameters or the Naver error the request deserves. */
export type ParsedSearch = { ok: true; params: SearchParams } | { ok: false; error: NaverError };

/** A query-string value as Fastify parses it; a repeated key keeps its first value, as Naver's gateway does. */
export function first(raw: unknown): string | undefined {
  const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return typeof value === 'string' ? value : undefined;
}

function integerIn(raw: string | undefined, fallback: number, min: number, max: number): number | null {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (!/^\d{1,7}$/u.test(raw)) {
    return null;
  }
  const value = Number(raw);
  return value >= min && value <= max ? value : null;
}

function isSort(value: string): value is SortOrder {
  return (SORT_ORDERS as readonly string[]).includes(value);
}

function isExclusion(value: string): value is Exclusion {
  return (EXCLUSIONS as readonly string[]).includes(value);
}

/** `filter=naverpay` and `exclude=used:rental:cbshop`; anything else is a malformed query (SE01). */
function parseFilter(filter: string | undefined, exclude: string | undefined): ShelfFilter | null {
  if (filter !== undefined && filter !== '' && filter !== 'naverpay') {
    return null;
  }
  const exclusions = exclude === undefined || exclude === '' ? [] : exclude.split(':');
  if (!exclusions.every(isExclusion)) {
    return null;
  }
  return { naverPayOnly: filter === 'naverpay', exclude: exclusions };
}

/** Validates a request's query string with Naver's rules and error codes (SE01-SE04, SE06). */
export function parseSearchParams(raw: Record<string, unknown>): ParsedSearch {
  const query = first(raw.query);
  if (query === undefined || query.trim() === '') {
    return { ok: false, error: { kind: 'SE01' } };
  }
  // A malformed percent-escape decodes to U+FFFD: Naver answers "use UTF-8".
  if (query.includes('\uFFFD')) {
    return { ok: false, error: { kind: 'SE06' } };
  }
  const display = integerIn(first(raw.display), 10, 1, 100);
  if (display === null) {
    return { ok: false, error: { kind: 'SE02' } };
  }
  const start = integerIn(first(raw.start), 1, 1, 1000);
  if (start === null) {
    return { ok: false, error: { kind: 'SE03' } };
  }
  const sortRaw = first(raw.sort);
  const sort = sortRaw === undefined || sortRaw === '' ? 'sim' : sortRaw;
  if (!isSort(sort)) {
    return { ok: false, error: { kind: 'SE04' } };
  }
  const filter = parseFilter(first(raw.filter), first(raw.exclude));
  if (filter === null) {
    return { ok: false, error: { kind: 'SE01' } };
  }
  return { ok: true, params: { query, display, start, sort, filter } };
}
