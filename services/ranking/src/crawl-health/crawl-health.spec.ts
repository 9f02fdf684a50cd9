import { CrawlOutcome, UNKNOWN_HEALTH, crawlHealthOf } from './crawl-health';

const at = (minute: number): Date => new Date(Date.UTC(2026, 11, 3, 10, minute));
const failed = (minute: number, code = 'upstream_error'): CrawlOutcome => ({
  kind: 'failed',
  crawlId: `f${minute}`,
  at: at(minute),
  code,
  message: `${code} at ${minute}`,
});
const completed = (minute: number): CrawlOutcome => ({ kind: 'completed', crawlId: `c${minute}`, at: at(minute) });

describe('keyword crawl health', () => {
  it('given no outcome, then the keyword is not failing and was never crawled', () => {
    expect(crawlHealthOf([], 3)).toEqual(UNKNOWN_HEALTH);
  });

  it('given three crawls in a row failed after a completed one, then the keyword is failing with the last error', () => {
    const health = crawlHealthOf([completed(0), failed(10), failed(20), failed(30, 'timeout')], 3);
    expect(health).toEqual({
      failing: true,
      consecutiveFailures: 3,
      lastError: { code: 'timeout', message: 'timeout at 30', at: at(30).toISOString() },
      lastCrawledAt: at(0).toISOString(),
    });
    expect(crawlHealthOf([completed(0), failed(10), failed(20), failed(30)], 4).failing).toBe(false);
  });

  it('given a failing keyword, when a crawl completes, then it is healthy again and the error is cleared', () => {
    expect(crawlHealthOf([failed(10), failed(20), failed(30), completed(40)], 3)).toEqual({
      failing: false,
      consecutiveFailures: 0,
      lastError: null,
      lastCrawledAt: at(40).toISOString(),
    });
  });

  it('given outcomes in any order, then the health is the same', () => {
    const inOrder = [failed(5), completed(10), failed(20), failed(30), failed(40)];
    const shuffled = [failed(40), failed(20), completed(10), failed(30), failed(5)];
    expect(crawlHealthOf(shuffled, 3)).toEqual(crawlHealthOf(inOrder, 3));
    expect(crawlHealthOf(shuffled, 3)).toMatchObject({ failing: true, consecutiveFailures: 3 });
  });
});
