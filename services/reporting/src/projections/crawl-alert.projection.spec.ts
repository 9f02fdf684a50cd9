import { randomUUID } from 'node:crypto';
import { EventData, buildEvent } from '@shelfwatch/contracts';
import { CrawlStage, crawlTransition } from './crawl-alert.projection';

function crawlFailed(overrides: Partial<EventData<'crawl.failed'>>) {
  const data = {
    crawlId: randomUUID(),
    keywordId: randomUUID(),
    failedAt: '2026-12-03T10:00:00.000Z',
    code: 'upstream_error',
    message: 'HTTP 503',
    retryable: true,
    ...overrides,
  };
  const origin = { tenantId: randomUUID(), correlationId: randomUUID(), causationId: null };
  return buildEvent('crawl.failed', data, origin, { id: randomUUID(), occurredAt: new Date(data.failedAt) });
}

describe('crawl stage of a failed attempt', () => {
  it('given an attempt the crawler retries, then the crawl is still running (its later completion still counts)', () => {
    expect(crawlTransition(crawlFailed({ attempt: 1, willRetry: true })).stage).toBe(CrawlStage.Running);
  });

  it('given a final failure, or an event from before retries, then the crawl failed', () => {
    expect(crawlTransition(crawlFailed({ attempt: 5, willRetry: false })).stage).toBe(CrawlStage.Failed);
    expect(crawlTransition(crawlFailed({})).stage).toBe(CrawlStage.Failed);
  });
});
