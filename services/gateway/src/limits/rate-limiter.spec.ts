import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a burst through, then refuses with the time until the next token', () => {
    // Given a bucket of 3 refilled at 60 per minute (1 per second)
    const limiter = new RateLimiter(3, 60);
    // When 4 requests arrive at once
    const decisions = [0, 0, 0, 0].map((at) => limiter.take('key-a', at));
    // Then 3 pass and the 4th waits one second
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]).toMatchObject({ retryAfterSeconds: 1, resetSeconds: 3, limit: 3 });
  });

  it('refills over time and never beyond the burst', () => {
    const limiter = new RateLimiter(2, 60);
    limiter.take('k', 0);
    limiter.take('k', 0);
    expect(limiter.take('k', 500).allowed).toBe(false);
    expect(limiter.take('k', 1_000).allowed).toBe(true);
    expect(limiter.take('k', 60_000).remaining).toBe(1);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });
});

describe('RateLimiter.refund', () => {
  it('gives a token back, never beyond the burst', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0).allowed).toBe(true);
    limiter.refund('a');
    limiter.refund('a');
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
  });
});
