import { CrawlItem } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { splitResults } from './result-parts';

const items = fc.array(fc.string({ maxLength: 400, unit: 'binary' }), { maxLength: 40 }).map((titles) =>
  titles.map((title, i): CrawlItem => ({
    rank: i + 1,
    externalId: `ext-${i + 1}`,
    title,
    mall: 'mall',
    price: 1_000,
    brand: 'brand',
    maker: 'maker',
    category: 'a>b',
    link: 'https://shop.example/p',
    image: 'https://shop.example/i.jpg',
    productType: '1',
  })),
);

const bytes = (part: readonly CrawlItem[]): number =>
  part.reduce((sum, item) => sum + Buffer.byteLength(JSON.stringify(item)) + 1, 0);

describe('splitResults (properties)', () => {
  it('loses, repeats and reorders no item, and keeps every part under the limit unless one item alone exceeds it', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 200, max: 4_000 }), (shelf, maxBytes) => {
        const parts = splitResults(shelf, maxBytes);
        expect(parts.flat()).toEqual(shelf);
        expect(parts.length).toBeGreaterThanOrEqual(1);
        for (const part of parts) {
          expect(part.length === 1 || bytes(part) <= maxBytes).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
