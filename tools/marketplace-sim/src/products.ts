import { hashInts, hashText, intBetween, mulberry32, pick, pickSkewed, Random, sample, unit } from './prng';
import { BRANDS, CATEGORY_FAMILIES, CategoryFamily, MAKERS, MALLS, NAVER_MALL, VARIANTS } from './vocabulary';

/** Naver's productType: 1-3 general, 4-6 used, 7-9 discontinued, 10-12 pre-release (comparison/unmatched/matched). */
export type ProductType = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;

/** What ranking, pricing and filtering need; cheap to generate for a whole pool (numbers only). */
export interface ProductCore {
  /** Position in its stem's pool; drift noise is keyed on it, so it never changes. */
  readonly index: number;
  readonly productType: ProductType;
  /** Whether the stem's second category family applies rather than its main one. */
  readonly secondary: boolean;
  /** Price before drift; 0 means "no price information" (some pre-release products). */
  readonly basePrice: number;
  /** hprice / lprice for price-comparison products; null for the others, whose hprice is empty. */
  readonly spread: number | null;
  /** Query-independent pull in [0, 1): the products popular for `wireless` stay high for `wireless earbuds`. */
  readonly popularity: number;
  readonly registeredAt: number;
  readonly naverPay: boolean;
  readonly rental: boolean;
  readonly overseas: boolean;
}

/** A product with its texts; built only for products that are served or asked for. */
export interface Product extends ProductCore {
  readonly productId: string;
  readonly brand: string;
  readonly maker: string;
  readonly mallName: string;
  readonly category1: string;
  readonly category2: string;
  readonly category3: string;
  readonly category4: string;
  /** Model code and variant, appended to the query words in the title. */
  readonly descriptor: string;
  readonly link: string;
  readonly image: string;
}

/** Big enough that the longest shelf (about 1,100) is a selection, not the whole pool. */
export const POOL_SIZE = 1_400;

const TYPE_WEIGHTS: readonly [ProductType, number][] = [
  [1, 15],
  [2, 48],
  [3, 20],
  [4, 1],
  [5, 5],
  [6, 1],
  [7, 1],
  [8, 3],
  [9, 1],
  [10, 1],
  [11, 3],
  [12, 1],
];
const TYPE_TOTAL = TYPE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
const REGISTERED_FROM = Date.UTC(2023, 0, 1);
const REGISTERED_SPAN = 3 * 365 * 86_400_000;

function pickType(random: Random): ProductType {
  let roll = random() * TYPE_TOTAL;
  for (const [type, weight] of TYPE_WEIGHTS) {
    roll -= weight;
    if (roll < 0) {
      return type;
    }
  }
  return 2;
}

/** Korean prices end in 0 (under 10,000 won) or 00 (above). */
export function roundPrice(price: number): number {
  const step = price < 10_000 ? 10 : 100;
  return Math.max(step, Math.round(price / step) * step);
}

/** 11 digits, like Naver's product ids; derived from (seed, stem, index) so a product keeps its id. */
function productIdOf(stemHash: number, index: number): string {
  const high = unit(hashInts(stemHash, index, 1)) * 90_000;
  const low = hashInts(stemHash, index, 2) % 1_000_000;
  return String((10_000 + Math.floor(high)) * 1_000_000 + low);
}

function priceOf(random: Random, family: CategoryFamily, type: ProductType): number {
  if (type >= 10 && random() < 0.5) {
    return 0;
  }
  // Log-uniform, skewed cheap: many inexpensive offers, a few expensive ones.
  return roundPrice(family.minPrice * (family.maxPrice / family.minPrice) ** (random() ** 1.6));
}

interface StemTraits {
  readonly brands: readonly string[];
  readonly primary: CategoryFamily;
  readonly secondary: CategoryFamily;
}

function stemTraits(seed: number, stem: string, stemHash: number): StemTraits {
  const random = mulberry32(hashInts(seed, stemHash, 7));
  const brands = sample(random, BRANDS, intBetween(random, 12, 20));
  const drawn = pick(random, CATEGORY_FAMILIES);
  // A recognisable first word gets its natural category; any other word a seeded one.
  const hinted = CATEGORY_FAMILIES.find((family) => family.hints.some((hint) => stem.startsWith(hint)));
  return { brands, primary: hinted ?? drawn, secondary: pick(random, CATEGORY_FAMILIES) };
}

function makeCore(seed: number, stemHash: number, traits: StemTraits, index: number): ProductCore {
  const random = mulberry32(hashInts(seed, stemHash, index, 3));
  const productType = pickType(random);
  const secondary = random() >= 0.85;
  const comparison = productType % 3 === 1;
  return {
    index,
    productType,
    secondary,
    basePrice: priceOf(random, secondary ? traits.secondary : traits.primary, productType),
    spread: comparison ? 1.05 + random() * 0.6 : null,
    popularity: random(),
    registeredAt: REGISTERED_FROM + Math.floor(random() * REGISTERED_SPAN),
    naverPay: !comparison && random() < 0.75,
    rental: random() < 0.02,
    overseas: random() < 0.08,
  };
}

function mallOf(random: Random, type: ProductType, brand: string): string {
  if (type % 3 === 1) {
    return NAVER_MALL;
  }
  return brand !== '' && random() < 0.1 ? `${brand}공식스토어` : pickSkewed(random, MALLS);
}

function modelCode(random: Random): string {
  const letter = () => String.fromCharCode(65 + intBetween(random, 0, 25));
  return `${letter()}${letter()}-${intBetween(random, 100, 999)}`;
}

/**
 * Every product a query with this first word (its stem) can show. Cores are generated up front for ranking;
 * texts only for the products someone looks at, which keeps a new keyword cheap. Pure: same (seed, stem),
 * same pool.
 */
export class ProductPool {
  readonly stemHash: number;
  readonly cores: readonly ProductCore[];
  readonly #traits: StemTraits;
  readonly #products = new Map<number, Product>();

  constructor(
    readonly seed: number,
    readonly stem: string,
  ) {
    this.stemHash = hashText(seed, stem);
    this.#traits = stemTraits(seed, stem, this.stemHash);
    const cores: ProductCore[] = [];
    for (let index = 0; index < POOL_SIZE; index++) {
      cores.push(makeCore(seed, this.stemHash, this.#traits, index));
    }
    this.cores = cores;
  }

  /** The full product at `index` of this pool. */
  product(core: ProductCore): Product {
    let product = this.#products.get(core.index);
    if (product === undefined) {
      product = this.#describe(core);
      this.#products.set(core.index, product);
    }
    return product;
  }

  #describe(core: ProductCore): Product {
    // A separate stream from the core's, so adding a text field never changes ranks or prices.
    const random = mulberry32(hashInts(this.seed, this.stemHash, core.index, 4));
    const family = core.secondary ? this.#traits.secondary : this.#traits.primary;
    const brand = random() < 0.1 ? '' : pickSkewed(random, this.#traits.brands);
    const productId = productIdOf(this.stemHash, core.index);
    const catalog = core.productType % 3 === 1;
    return {
      ...core,
      productId,
      brand,
      // A brand has one maker across every keyword, as in real catalogues.
      maker: brand === '' ? '' : (MAKERS[hashText(this.seed, brand) % MAKERS.length] ?? ''),
      mallName: mallOf(random, core.productType, brand),
      category1: family.category1,
      category2: family.category2,
      category3: pick(random, family.category3),
      category4: pick(random, family.category4),
      descriptor: `${modelCode(random)} ${pick(random, VARIANTS)}`,
      link: catalog
        ? `https://search.shopping.naver.com/catalog/${productId}`
        : `https://smartstore.naver.com/main/products/${productId}`,
      image: `https://shopping-phinf.pstatic.net/main_${productId.slice(0, 7)}/${productId}.jpg`,
    };
  }
}
