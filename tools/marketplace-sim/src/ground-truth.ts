import { Catalogue, passesFilter, Shelf, ShelfEntry, ShelfFilter, SortOrder, titleOf } from './catalogue';
import { LruCache } from './lru';
import { ProductType } from './products';

/** One ranked product as the simulator would serve it, with typed prices and a plain (un-highlighted) title. */
export interface TruthItem {
  /** 1-based position in the requested sort order, after filters: what `start` counts. */
  readonly rank: number;
  readonly productId: string;
  readonly title: string;
  readonly link: string;
  readonly image: string;
  /** Lowest price in KRW; 0 when the product has no price information (served as `lprice: ""`). */
  readonly lprice: number;
  /** Highest price for price-comparison products; null where Naver sends "". */
  readonly hprice: number | null;
  readonly mallName: string;
  readonly productType: ProductType;
  readonly brand: string;
  readonly maker: string;
  readonly category1: string;
  readonly category2: string;
  readonly category3: string;
  readonly category4: string;
}

/** Catalogues by seed, so repeated ground-truth questions reuse generated pools. */
const catalogues = new LruCache<number, Catalogue>(8);

/** The shared catalogue of `seed`; results equal those of any other catalogue with that seed. */
export function catalogueFor(seed: number): Catalogue {
  return catalogues.getOrCreate(seed, () => new Catalogue(seed));
}

/** Applies `filter` to a shelf, keeping order. */
export function filteredEntries(shelf: Shelf, filter: ShelfFilter): readonly ShelfEntry[] {
  const active = filter.naverPayOnly === true || (filter.exclude?.length ?? 0) > 0;
  return active ? shelf.entries.filter((entry) => passesFilter(entry, filter)) : shelf.entries;
}

/** A shelf entry as a {@link TruthItem} at `rank`. */
export function toTruthItem(entry: ShelfEntry, rank: number, shelf: Shelf): TruthItem {
  const product = shelf.pool.product(entry.core);
  return {
    rank,
    productId: product.productId,
    title: titleOf(product, shelf.query),
    link: product.link,
    image: product.image,
    lprice: entry.lprice,
    hprice: entry.hprice,
    mallName: product.mallName,
    productType: product.productType,
    brand: product.brand,
    maker: product.maker,
    category1: product.category1,
    category2: product.category2,
    category3: product.category3,
    category4: product.category4,
  };
}

/**
 * The full ranked list the simulator serves for `query` at simulated time `at` under `seed`: what a crawl of
 * every page at that moment must find. Pure: the same arguments always give the same list.
 */
export function groundTruth(
  seed: number,
  query: string,
  at: Date,
  sort: SortOrder = 'sim',
  filter: ShelfFilter = {},
): TruthItem[] {
  const shelf = catalogueFor(seed).shelf(query, at.getTime(), sort);
  return filteredEntries(shelf, filter).map((entry, i) => toTruthItem(entry, i + 1, shelf));
}
