import { meanRankShift, overlap, plus, T0 } from '../test/fixtures';
import { groundTruth } from './ground-truth';

const MINUTE = 60_000;

describe('groundTruth', () => {
  it('gives the same shelf for the same seed, query and time, and ignores case and spacing', () => {
    const first = groundTruth(42, 'wireless earbuds', T0);
    expect(groundTruth(42, 'wireless earbuds', T0)).toEqual(first);
    expect(groundTruth(42, '  Wireless   EARBUDS ', T0).map((item) => item.productId)).toEqual(
      first.map((item) => item.productId),
    );
  });

  it('gives a different shelf under a different seed', () => {
    expect(overlap(groundTruth(42, 'wireless earbuds', T0), groundTruth(7, 'wireless earbuds', T0), 100)).toBe(0);
  });

  it('serves a plausible shelf: some hundreds of products, ranked 1..n, unique ids, query words in titles', () => {
    for (const query of ['wireless earbuds', '무선 이어폰', 'camping chair', 'x']) {
      const shelf = groundTruth(42, query, T0);
      expect(shelf.length).toBeGreaterThanOrEqual(300);
      expect(shelf.length).toBeLessThanOrEqual(1_100);
      expect(shelf.map((item) => item.rank)).toEqual(shelf.map((_, i) => i + 1));
      expect(new Set(shelf.map((item) => item.productId)).size).toBe(shelf.length);
      expect(shelf.every((item) => item.title.includes(query))).toBe(true);
      expect(shelf.every((item) => /^\d{11}$/u.test(item.productId))).toBe(true);
    }
  });

  it('puts a recognisable keyword mostly in its natural category', () => {
    const shelf = groundTruth(42, 'camping chair', T0);
    expect(shelf.filter((item) => item.category2 === '캠핑').length).toBeGreaterThan(shelf.length * 0.7);
  });

  it('keeps a shelf still within one 15-minute bucket', () => {
    const bucketStart = new Date('2026-03-02T01:00:00.000Z');
    expect(groundTruth(42, 'desk lamp', plus(bucketStart, 14 * MINUTE))).toEqual(
      groundTruth(42, 'desk lamp', bucketStart),
    );
  });

  it('drifts a little in 15 minutes and much more in a day', () => {
    const now = groundTruth(42, 'wireless earbuds', T0);
    const soon = groundTruth(42, 'wireless earbuds', plus(T0, 15 * MINUTE));
    const tomorrow = groundTruth(42, 'wireless earbuds', plus(T0, 24 * 60 * MINUTE));
    expect(soon.map((item) => item.productId)).not.toEqual(now.map((item) => item.productId));
    expect(overlap(now, soon, 100)).toBeGreaterThanOrEqual(0.95);
    expect(meanRankShift(now, soon)).toBeLessThan(3);
    expect(meanRankShift(now, tomorrow)).toBeGreaterThan(3 * meanRankShift(now, soon));
    expect(overlap(now, tomorrow, 100)).toBeLessThan(overlap(now, soon, 100));
  });

  it('moves some prices within hours but keeps them near their level', () => {
    const now = new Map(groundTruth(42, 'wireless earbuds', T0).map((item) => [item.productId, item.lprice]));
    const later = groundTruth(42, 'wireless earbuds', plus(T0, 15 * MINUTE));
    const changed = later.filter((item) => now.get(item.productId) !== item.lprice);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(later.length / 3);
    for (const item of changed) {
      const before = now.get(item.productId) ?? 0;
      expect(Math.abs(item.lprice - before) / before).toBeLessThan(0.2);
    }
  });

  it('shares products, with the same price, across keywords with the same first word', () => {
    const base = groundTruth(42, 'wireless earbuds', T0);
    const related = groundTruth(42, 'wireless earbuds pro', T0);
    const unrelated = groundTruth(42, 'camping chair', T0);
    expect(overlap(base, related, 100)).toBeGreaterThan(0.3);
    expect(overlap(base, unrelated, 100)).toBe(0);
    const prices = new Map(base.map((item) => [item.productId, item]));
    for (const item of related) {
      const same = prices.get(item.productId);
      if (same) {
        expect([item.lprice, item.brand, item.mallName]).toEqual([same.lprice, same.brand, same.mallName]);
      }
    }
  });

  it('sorts by price ascending and descending with unknown prices last', () => {
    const asc = groundTruth(42, 'wireless earbuds', T0, 'asc').map((item) => item.lprice);
    const priced = asc.filter((price) => price > 0);
    expect(priced).toEqual([...priced].sort((a, b) => a - b));
    expect(asc.slice(priced.length).every((price) => price === 0)).toBe(true);
    const dsc = groundTruth(42, 'wireless earbuds', T0, 'dsc').map((item) => item.lprice);
    expect(dsc.slice(0, priced.length)).toEqual([...priced].sort((a, b) => b - a));
  });

  it('applies Naver filter and exclude', () => {
    const all = groundTruth(42, 'wireless earbuds', T0);
    const filtered = groundTruth(42, 'wireless earbuds', T0, 'sim', { naverPayOnly: true, exclude: ['used'] });
    expect(filtered.length).toBeLessThan(all.length);
    expect(filtered.every((item) => item.productType < 4 || item.productType > 6)).toBe(true);
    expect(filtered.every((item) => item.mallName !== '네이버')).toBe(true);
  });
});
