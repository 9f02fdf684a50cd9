import { hashInts, unit } from './prng';
import { ProductCore, roundPrice } from './products';

/** Simulated time moves the shelf in steps of this size: every moment inside one bucket sees the same shelf. */
export const BUCKET_MS = 15 * 60_000;

/** Slow rank noise is re-drawn every 32 buckets (8 hours) and eased in between, so neighbours stay similar. */
const SLOW_PERIOD = 32;
const SLOW_AMPLITUDE = 0.05;
/** Per-bucket jitter of about one neighbour gap: two consecutive buckets swap a few adjacent products. */
const JITTER_AMPLITUDE = 0.0015;
/** A product's price is re-drawn every 8 buckets (2 hours), each product at its own phase. */
const PRICE_PERIOD = 8;
const PRICE_AMPLITUDE = 0.08;

/** The 15-minute bucket holding `atMs`. */
export function bucketOf(atMs: number): number {
  return Math.floor(atMs / BUCKET_MS);
}

function signedNoise(a: number, b: number, c: number, d: number): number {
  return unit(hashInts(a, b, c, d)) * 2 - 1;
}

/**
 * How far a product's score moves at `bucket` for one query: smooth value noise (hours) plus jitter (minutes).
 * Buckets 15 minutes apart differ by a few neighbour swaps; a day apart, products move tens of places.
 */
export function rankDrift(queryHash: number, index: number, bucket: number): number {
  const period = Math.floor(bucket / SLOW_PERIOD);
  const t = (bucket - period * SLOW_PERIOD) / SLOW_PERIOD;
  const eased = t * t * (3 - 2 * t);
  const from = signedNoise(queryHash, index, period, 21);
  const to = signedNoise(queryHash, index, period + 1, 21);
  const slow = SLOW_AMPLITUDE * (from + (to - from) * eased);
  return slow + JITTER_AMPLITUDE * signedNoise(queryHash, index, bucket, 22);
}

/**
 * A product's lowest price at `bucket`. Keyed on the product (stem and index), not the query, so one product
 * costs the same under every keyword at one moment. 0 stays 0 ("no price information").
 */
export function priceAt(product: ProductCore, stemHash: number, bucket: number): number {
  if (product.basePrice === 0) {
    return 0;
  }
  const phase = hashInts(stemHash, product.index, 31) % PRICE_PERIOD;
  const period = Math.floor((bucket + phase) / PRICE_PERIOD);
  return roundPrice(product.basePrice * (1 + PRICE_AMPLITUDE * signedNoise(stemHash, product.index, period, 32)));
}

/** The highest price of a price-comparison product, null (shown as "") for the others. */
export function highPriceOf(product: ProductCore, lprice: number): number | null {
  return product.spread === null || lprice === 0 ? null : roundPrice(lprice * product.spread);
}
