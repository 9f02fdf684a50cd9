import { randomUUID } from 'node:crypto';
import { CrawlItem, EventData, EventEnvelope, EventOrigin, buildEvent } from '@shelfwatch/contracts';

/** A tenant-rooted origin with fresh ids, overridable. */
export function anOrigin(overrides: Partial<EventOrigin> = {}): EventOrigin {
  return { tenantId: randomUUID(), correlationId: randomUUID(), causationId: null, ...overrides };
}

/** Data of a `tracking.keyword.added` event, overridable. */
export function keywordAddedData(overrides: Partial<EventData<'tracking.keyword.added'>> = {}) {
  return {
    productId: randomUUID(),
    keywordId: randomUUID(),
    keyword: 'wireless earbuds',
    marketplace: 'naver',
    intervalMinutes: 60,
    ...overrides,
  };
}

/** A valid `tracking.keyword.added` event with a fixed clock. */
export function aKeywordAddedEvent(
  overrides: Partial<EventData<'tracking.keyword.added'>> = {},
  origin: EventOrigin = anOrigin(),
): EventEnvelope<'tracking.keyword.added'> {
  return buildEvent('tracking.keyword.added', keywordAddedData(overrides), origin, {
    id: randomUUID(),
    occurredAt: new Date('2026-11-22T10:00:00Z'),
  });
}

/** A listing of a crawled shelf at `rank`, overridable (no optional issue-16 fields unless given). */
export function aCrawlItem(rank: number, externalId: string, overrides: Partial<CrawlItem> = {}): CrawlItem {
  return {
    rank,
    externalId,
    title: `item ${externalId}`,
    mall: `mall-${externalId}`,
    price: 10_000,
    brand: 'brand',
    maker: 'maker',
    category: 'a>b',
    link: 'https://example.test/p',
    image: 'https://example.test/i.jpg',
    productType: '1',
    ...overrides,
  };
}
