import { leaseUntil } from './crawl.policy';

const now = new Date('2026-11-22T10:00:00Z');

describe('crawl run policy', () => {
  it('leases a claimed crawl for the given time', () => {
    expect(leaseUntil(now, 90_000)).toEqual(new Date('2026-11-22T10:01:30Z'));
  });
});
