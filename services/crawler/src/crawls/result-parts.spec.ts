import { CrawlItem } from '@shelfwatch/contracts';
import { splitResults } from './result-parts';

function item(rank: number, titleLength = 10): CrawlItem {
  return {
    rank,
    externalId: `ext-${rank}`,
    title: 'x'.repeat(titleLength),
    mall: 'mall',
    price: 1_000,
    brand: 'brand',
    maker: 'maker',
    category: 'a>b',
    link: 'https://shop.example/p',
    image: 'https://shop.example/i.jpg',
    productType: '1',
  };
}

describe('splitResults', () => {
  it('keeps an ordinary crawl in one part', () => {
    const items = Array.from({ length: 100 }, (_, i) => item(i + 1));
    expect(splitResults(items)).toEqual([items]);
  });

  it('splits a large result into consecutive parts under the limit, losing and reordering nothing', () => {
    const items = Array.from({ length: 1_100 }, (_, i) => item(i + 1, 2_000));
    const parts = splitResults(items);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat()).toEqual(items);
    for (const part of parts) {
      expect(Buffer.byteLength(JSON.stringify(part))).toBeLessThanOrEqual(512 * 1024);
    }
  });

  it('gives an empty crawl one empty part, and an oversized item a part of its own', () => {
    expect(splitResults([])).toEqual([[]]);
    const parts = splitResults([item(1), item(2, 600), item(3)], 400);
    expect(parts.map((part) => part.map((i) => i.rank))).toEqual([[1], [2], [3]]);
  });
});
