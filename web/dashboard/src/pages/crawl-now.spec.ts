import { timeOfDay } from '../format';
import { crawl } from '../views.factory';
import { progressText } from './crawl-now';

describe('the progress of a crawl', () => {
  it('shows the attempt that failed and when the next one starts while a crawl waits to retry', () => {
    const next = '2026-12-03T10:01:30.000Z';
    expect(
      progressText(
        crawl({ status: 'requested', attempts: 2, nextAttemptAt: next, failureMessage: 'Naver answered 503' }),
      ),
    ).toBe(`Attempt 2 failed (Naver answered 503); trying again at ${timeOfDay(next)} (attempt 3).`);
  });

  it('says which attempt is running after a retry', () => {
    expect(progressText(crawl({ status: 'running', attempts: 3, pagesFetched: 2 }))).toBe(
      'Crawling (attempt 3)… 2 pages read so far.',
    );
    expect(progressText(crawl({ status: 'running', attempts: 1, pagesFetched: 1 }))).toBe(
      'Crawling… 1 page read so far.',
    );
  });

  it('reads as before on a gateway without attempts', () => {
    const old = crawl({ status: 'requested' });
    delete old.attempts;
    delete old.nextAttemptAt;
    expect(progressText(old)).toBe('Queued: waiting for a crawler…');
  });

  it('says how often a failed crawl was tried', () => {
    expect(
      progressText(
        crawl({ status: 'failed', attempts: 2, failureCode: 'marketplace_unavailable', failureMessage: 'HTTP 503' }),
      ),
    ).toBe('The crawl failed after 2 attempts: HTTP 503. The previous results stay shown.');
    expect(progressText(crawl({ status: 'failed', attempts: 1, failureMessage: 'HTTP 503' }))).toBe(
      'The crawl failed: HTTP 503. The previous results stay shown.',
    );
  });

  it('explains a crawl refused because the tenant used up its share today', () => {
    expect(progressText(crawl({ status: 'failed', failureCode: 'tenant_quota_exhausted' }))).toContain(
      "your share of today's marketplace requests is used up",
    );
  });
});
