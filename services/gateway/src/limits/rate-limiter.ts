/** The verdict on one request, with what the RateLimit headers tell the client. */
export interface RateDecision {
  allowed: boolean;
  /** Bucket size (requests that may be sent at once). */
  limit: number;
  /** Requests left right now. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const SWEEP_EVERY = 10_000;

/**
 * A token bucket per key (an API key id): `burst` tokens, refilled at `perMinute / 60` per second. Pure
 * apart from its map: the time comes in as an argument. One instance per gateway process, so with N
 * replicas behind a load balancer a key gets up to N times the rate (documented in docs/gateway.md).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private decisions = 0;

  constructor(
    private readonly burst: number,
    perMinute: number,
  ) {
    this.perMs = perMinute / 60_000;
  }

  take(key: string, nowMs: number): RateDecision {
    this.sweepSometimes(nowMs);
    const bucket = this.refilled(key, nowMs);
    const allowed = bucket.tokens >= 1;
    if (allowed) {
      bucket.tokens -= 1;
    }
    const missing = this.burst - bucket.tokens;
    return {
      allowed,
      limit: this.burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil(missing / this.perMs / 1_000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1_000)),
    };
  }

  /** Gives back the token of a request that turned out not to count (e.g. a key that authenticated). */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
    }
  }

  private refilled(key: string, nowMs: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedMs: nowMs };
    bucket.tokens = Math.min(this.burst, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * this.perMs);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private sweepSometimes(nowMs: number): void {
    this.decisions += 1;
    if (this.decisions % SWEEP_EVERY !== 0) {
      return;
    }
    const fullAfterMs = this.burst / this.perMs;
    for (const [key, bucket] of this.buckets) {
      if (nowMs - bucket.updatedMs >= fullAfterMs) {
        this.buckets.delete(key);
      }
    }
  }
}
