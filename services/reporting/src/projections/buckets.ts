import { RankingEntry } from '@shelfwatch/contracts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Start of the UTC hour holding `at` (ISO-8601). */
export function hourBucket(at: string): string {
  const ms = Date.parse(at);
  return new Date(ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS)).toISOString();
}

/** Start of the UTC day holding `at`, as an ISO instant. */
export function dayBucket(at: string): string {
  const ms = Date.parse(at);
  return new Date(ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)).toISOString();
}

/** The UTC calendar day holding `at` (`YYYY-MM-DD`). */
export function utcDay(at: string): string {
  return dayBucket(at).slice(0, 10);
}

/** Results beyond this rank never count towards brand share (the largest `topN` a query may ask for). */
export const BRAND_TOP_LIMIT = 100;

/** How many positions of one rank a brand took in one crawl (a shelf normally has one entry per rank). */
export interface BrandSlot {
  rank: number;
  brand: string;
  slots: number;
}

/** Brand positions of one crawl within the top {@link BRAND_TOP_LIMIT}; brands trimmed, duplicates summed. */
export function brandSlots(entries: readonly Pick<RankingEntry, 'rank' | 'brand'>[]): BrandSlot[] {
  const counts = new Map<string, BrandSlot>();
  for (const entry of entries) {
    if (entry.rank > BRAND_TOP_LIMIT) {
      continue;
    }
    const brand = entry.brand.trim();
    const key = `${entry.rank}\u0000${brand}`;
    const slot = counts.get(key) ?? { rank: entry.rank, brand, slots: 0 };
    slot.slots += 1;
    counts.set(key, slot);
  }
  return [...counts.values()].sort((a, b) => a.rank - b.rank || a.brand.localeCompare(b.brand));
}
