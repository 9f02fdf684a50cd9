import { randomUUID } from 'node:crypto';
import { EventData, Page, RankingKeywordView, buildEvent } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { ProductView } from '../src/catalog/products.service';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, publish } from './ranking.fixtures';

/** Final crawl outcomes in, each keyword's crawl health out on the keyword views (default CRAWL_FAILING_AFTER 3). */
describe('ranking: keyword crawl health', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();
  let product: ProductView;
  let keywordId: string;

  beforeAll(async () => {
    sut = await bootRanking();
    product = await sut.rpc.request<ProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'own-1',
      name: 'Mine',
      price: 10_000,
      keywords: ['usb hub'],
    });
    keywordId = product.keywords[0]?.keywordId ?? '';
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  function crawlFailed(minute: number, overrides: Partial<EventData<'crawl.failed'>> = {}) {
    const failedAt = new Date(Date.UTC(2026, 11, 3, 10, minute)).toISOString();
    const data = {
      crawlId: randomUUID(),
      keywordId,
      failedAt,
      code: 'upstream_error',
      message: `HTTP 503 at ${minute}`,
      retryable: true,
      attempt: 1,
      willRetry: false,
      nextAttemptAt: null,
      ...overrides,
    };
    const origin = { tenantId, correlationId: randomUUID(), causationId: null };
    return buildEvent('crawl.failed', data, origin, { id: randomUUID(), occurredAt: new Date(failedAt) });
  }

  async function health(byProduct = false) {
    const page = await sut.rpc.request<Page<RankingKeywordView>>('ranking.keyword.list', {
      tenantId,
      ...(byProduct ? { productId: product.id } : {}),
    });
    return page.items.find((keyword) => keyword.id === keywordId)?.crawlHealth;
  }

  it('marks a keyword failing after 3 final failures in a row, with the last error; a completed crawl clears it', async () => {
    expect(await health()).toEqual({ failing: false, consecutiveFailures: 0, lastError: null, lastCrawledAt: null });
    await publish(sut, crawlFailed(1));
    await publish(sut, crawlFailed(2));
    // An attempt the crawler retries is not a failed crawl.
    await publish(sut, crawlFailed(3, { willRetry: true, nextAttemptAt: '2026-12-03T10:04:00.000Z' }));
    await eventually(async () => expect(await health()).toMatchObject({ failing: false, consecutiveFailures: 2 }));
    await publish(sut, crawlFailed(5, { code: 'timeout', message: 'slow' }));
    await eventually(async () =>
      expect(await health(true)).toEqual({
        failing: true,
        consecutiveFailures: 3,
        lastError: { code: 'timeout', message: 'slow', at: '2026-12-03T10:05:00.000Z' },
        lastCrawledAt: null,
      }),
    );
    await publish(
      sut,
      aCrawlCompleted(tenantId, keywordId, [anItem(1, 'own-1')], { completedAt: '2026-12-03T10:30:00.000Z' }),
    );
    await eventually(async () =>
      expect(await health()).toEqual({
        failing: false,
        consecutiveFailures: 0,
        lastError: null,
        lastCrawledAt: '2026-12-03T10:30:00.000Z',
      }),
    );
  });
});
