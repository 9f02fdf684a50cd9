import { bucketOf, highPriceOf, priceAt, rankDrift } from './drift';
import { LruCache } from './lru';
import { hashInts, hashText, unit } from './prng';
import { Product, ProductCore, ProductPool } from './products';

/** Naver's sort orders: accuracy, newest, price ascending, price descending. */
export const SORT_ORDERS = ['sim', 'date', 'asc', 'dsc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Naver's `exclude` values: used goods, rentals, overseas direct purchase. */
export const EXCLUSIONS = ['used', 'rental', 'cbshop'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

/** Naver's `filter` and `exclude` parameters. */
export interface ShelfFilter {
  readonly naverPayOnly?: boolean;
  readonly exclude?: readonly Exclusion[];
}

/** A query reduced to what the catalogue depends on: case and spacing do not change a shelf. */
export interface NormalizedQuery {
  readonly text: string;
  /** Words kept in titles: letters, digits and hyphens only, so a title never needs HTML escaping. */
  readonly tokens: readonly string[];
  /** The first word: queries sharing it draw from one product pool, so related keywords share products. */
  readonly stem: string;
}

/** One product on a shelf at one moment; its texts come from {@link Shelf.pool}. */
export interface ShelfEntry {
  readonly core: ProductCore;
  readonly lprice: number;
  readonly hprice: number | null;
}

/** The full ranked result of one query at one time bucket, in one sort order, before filters. */
export interface Shelf {
  readonly query: NormalizedQuery;
  readonly pool: ProductPool;
  readonly bucket: number;
  readonly sort: SortOrder;
  readonly entries: readonly ShelfEntry[];
}

interface Members {
  readonly pool: ProductPool;
  readonly queryHash: number;
  readonly cores: readonly ProductCore[];
  readonly baseScores: Float64Array;
}

/** Shortest and longest shelves; the longest slightly exceeds what start<=1000 + display<=100 can reach. */
const MIN_TOTAL = 300;
const MAX_TOTAL = 1_100;
/** How much the query itself, beyond its stem, reorders the pool. */
const QUERY_WEIGHT = 0.35;
/** Scores are sorted as integer keys (score quantised, index in the low 11 bits): native, fast, deterministic. */
const SCORE_LEVELS = 2 ** 21;
const SCORE_FLOOR = -0.1;
const SCORE_RANGE = 1.6;
const INDEX_SLOTS = 2_048;

/**
 * Positions in `scores` from the highest score to the lowest, ties by lower position. Sorting a Uint32Array of
 * packed keys is several times faster than sorting objects with a comparator, which matters per new keyword.
 */
function rankByScore(scores: Float64Array): number[] {
  const keys = new Uint32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const level = Math.floor(((scores[i] - SCORE_FLOOR) / SCORE_RANGE) * SCORE_LEVELS);
    const clamped = Math.min(Math.max(level, 0), SCORE_LEVELS - 1);
    keys[i] = (SCORE_LEVELS - 1 - clamped) * INDEX_SLOTS + i;
  }
  keys.sort();
  return Array.from(keys, (key) => key % INDEX_SLOTS);
}

/** Lower-cases, trims and collapses spaces; extracts title words and the stem. */
export function normalizeQuery(query: string): NormalizedQuery {
  const text = query.normalize('NFC').toLowerCase().trim().split(/\s+/u).join(' ');
  const tokens = text
    .split(' ')
    .map((word) => word.replace(/[^\p{L}\p{N}-]/gu, ''))
    .filter((word) => word !== '');
  return { text, tokens, stem: tokens[0] ?? text };
}

/** The title of `product` under `query`, without Naver's `<b>` highlighting. */
export function titleOf(product: Product, query: NormalizedQuery): string {
  return [product.brand, ...query.tokens, product.descriptor].filter((part) => part !== '').join(' ');
}

/** Whether `entry` survives Naver's `filter`/`exclude` parameters. */
export function passesFilter(entry: ShelfEntry, filter: ShelfFilter): boolean {
  const product = entry.core;
  if (filter.naverPayOnly === true && !product.naverPay) {
    return false;
  }
  for (const exclusion of filter.exclude ?? []) {
    if (isExcluded(product, exclusion)) {
      return false;
    }
  }
  return true;
}

function isExcluded(product: ProductCore, exclusion: Exclusion): boolean {
  switch (exclusion) {
    case 'used':
      return product.productType >= 4 && product.productType <= 6;
    case 'rental':
      return product.rental;
    case 'cbshop':
      return product.overseas;
    default: {
      const unreachable: never = exclusion;
      throw new Error(`unknown exclusion ${String(unreachable)}`);
    }
  }
}

/**
 * The seeded, deterministic catalogue: any query yields a stable shelf of 300-1,100 products that drifts with
 * simulated time. Pure apart from its bounded caches, which never change a result.
 */
export class Catalogue {
  readonly #pools: LruCache<string, ProductPool>;
  readonly #members: LruCache<string, Members>;
  readonly #shelves: LruCache<string, Shelf>;

  constructor(
    readonly seed: number,
    cacheSize = 512,
  ) {
    this.#pools = new LruCache(cacheSize);
    this.#members = new LruCache(cacheSize);
    this.#shelves = new LruCache(cacheSize);
  }

  /** The ranked shelf of `query` at `atMs` (epoch milliseconds of simulated time). */
  shelf(query: string, atMs: number, sort: SortOrder): Shelf {
    const normalized = normalizeQuery(query);
    const bucket = bucketOf(atMs);
    return this.#shelves.getOrCreate(`${sort}|${bucket}|${normalized.text}`, () =>
      this.#rank(normalized, bucket, sort),
    );
  }

  #pool(stem: string): ProductPool {
    return this.#pools.getOrCreate(stem, () => new ProductPool(this.seed, stem));
  }

  /** Which products a query shows at all; fixed over time, so `total` is stable for a keyword. */
  #membersOf(query: NormalizedQuery): Members {
    return this.#members.getOrCreate(query.text, () => {
      const pool = this.#pool(query.stem);
      const queryHash = hashText(this.seed, `q:${query.text}`);
      const total = MIN_TOTAL + (hashInts(queryHash, 5) % (MAX_TOTAL - MIN_TOTAL + 1));
      const scores = Float64Array.from(
        pool.cores,
        (core) => core.popularity + QUERY_WEIGHT * unit(hashInts(queryHash, core.index, 11)),
      );
      const chosen = rankByScore(scores).slice(0, total);
      return {
        pool,
        queryHash,
        cores: chosen.map((index) => pool.cores[index]),
        baseScores: Float64Array.from(chosen, (index) => scores[index]),
      };
    });
  }

  #rank(query: NormalizedQuery, bucket: number, sort: SortOrder): Shelf {
    const { pool, queryHash, cores, baseScores } = this.#membersOf(query);
    const scores = Float64Array.from(cores, (core, i) => baseScores[i] + rankDrift(queryHash, core.index, bucket));
    const entries = rankByScore(scores).map((position) => {
      const core = cores[position];
      const lprice = priceAt(core, pool.stemHash, bucket);
      return { core, lprice, hprice: highPriceOf(core, lprice) };
    });
    return { query, pool, bucket, sort, entries: reorder(entries, sort) };
  }
}

/** Re-sorts an accuracy-ordered shelf; Array.prototype.sort is stable, so ties keep their accuracy order. */
function reorder(entries: ShelfEntry[], sort: SortOrder): ShelfEntry[] {
  switch (sort) {
    case 'sim':
      return entries;
    case 'date':
      return entries.sort((a, b) => b.core.registeredAt - a.core.registeredAt);
    case 'asc':
      // Unknown prices (0) go last in both price orders rather than posing as the cheapest offer.
      return entries.sort((a, b) => (a.lprice === 0 ? 1 : 0) - (b.lprice === 0 ? 1 : 0) || a.lprice - b.lprice);
    case 'dsc':
      return entries.sort((a, b) => b.lprice - a.lprice);
    default: {
      const unreachable: never = sort;
      throw new Error(`unknown sort ${String(unreachable)}`);
    }
  }
}
