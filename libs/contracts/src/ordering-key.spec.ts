import { AnyEvent, keywordOrderingKey } from './event-registry';

const tenantId = '0190d2a4-0000-7000-8000-000000000001';
const keywordId = '0190d2a4-0000-7000-8000-0000000000aa';

/** The fields the key reads; the rest of an envelope does not matter to it. */
const anEvent = (type: string, data: Record<string, unknown>) => ({ type, tenantId, data }) as unknown as AnyEvent;

describe('keywordOrderingKey', () => {
  it('puts every event about one keyword under that keyword, whatever its type', () => {
    const keys = [
      anEvent('crawl.completed', { crawlId: 'c1', keywordId }),
      anEvent('crawl.failed', { crawlId: 'c2', keywordId }),
      anEvent('ranking.recorded', { crawlId: 'c1', keywordId }),
      anEvent('tracking.keyword.removed', { productId: 'p', keywordId }),
    ].map(keywordOrderingKey);
    expect(new Set(keys)).toEqual(new Set([`keyword:${keywordId}`]));
  });

  it('keeps different keywords apart, and puts an event about no keyword under its tenant', () => {
    expect(keywordOrderingKey(anEvent('crawl.completed', { keywordId: 'other' }))).not.toBe(`keyword:${keywordId}`);
    expect(keywordOrderingKey(anEvent('tracking.product.removed', { productId: 'p' }))).toBe(`tenant:${tenantId}`);
  });
});
