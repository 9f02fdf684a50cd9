/**
 * Seeded hashing and pseudo-random numbers. Everything the catalogue generates flows from these, so the
 * same (seed, text, time bucket) always yields the same shelf: no `Math.random`, no clock.
 */

/** Murmur3's finaliser: spreads every input bit over the whole 32-bit word. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of `text` under `seed` (FNV-1a over UTF-16 code units, then fmix32). */
export function hashText(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ fmix32(seed)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A 32-bit hash of a few integers; numeric so the hot paths never build strings. */
export function hashInts(a: number, b: number, c = 0, d = 0): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b));
  h = fmix32(h ^ Math.imul(c + 0x165667b1, 0xc2b2ae35));
  return fmix32(h ^ Math.imul(d + 0x27d4eb2f, 0x9e3779b1));
}

/** Maps a 32-bit hash onto [0, 1). */
export function unit(hash: number): number {
  return (hash >>> 0) / 4_294_967_296;
}

/** A seeded source of floats in [0, 1): mulberry32, small and good enough for test data. */
export type Random = () => number;

/** mulberry32 seeded with `seed`. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [min, max], both inclusive. */
export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length) % items.length];
}

/** One element, the first ones more likely (weight 1/(i+1)): a few big brands and malls dominate a shelf. */
export function pickSkewed<T>(random: Random, items: readonly T[]): T {
  // floor((n + 1)^u) - 1 lands on i with probability log((i + 2) / (i + 1)) / log(n + 1), about 1/(i+1).
  const index = Math.floor((items.length + 1) ** random()) - 1;
  return items[Math.min(Math.max(index, 0), items.length - 1)];
}

/** `count` distinct elements of `items` in a seeded order (partial Fisher-Yates). */
export function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const copy = [...items];
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}
