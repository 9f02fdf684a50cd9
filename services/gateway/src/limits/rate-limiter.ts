/** A token bucket's shape: `burst` requests at once, refilled at `perMinute` requests a minute. */
export interface BucketPolicy {
  burst: number;
  perMinute: number;
}

/** The verdict on one request, with what the RateLimit headers tell the client. */
export interface RateDecision {
  allowed: boolean;
  /** Bucket size (requests that may be sent at once): the policy's quota. */
  limit: number;
  /** Seconds in which the bucket refills from empty: `limit` requests per `windowSeconds` is the sustained rate. */
  windowSeconds: number;
  /** Requests left right now. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * What a request limiter does: take a token of `key`'s bucket (the in-process and the shared one alike). The shared
 * one also says how many changes the bucket's owner has made, as every replica sees them (`changes`), and counts
 * them (`noteChange`); the in-process one knows nothing beyond its process, and leaves `changes` out.
 */
export interface RequestLimiter {
  take(key: string, nowMs: number): SharedDecision | Promise<SharedDecision>;
  /** Gives back the token of a request that turned out not to count (a key that authenticated); never rejects. */
  refund(key: string): void | Promise<void>;
  noteChange(key: string): Promise<void>;
}

/** A decision, and the changes stamp of the bucket's owner when every replica shares it (redis-bucket.store.ts). */
export type SharedDecision = RateDecision & { changes?: string };

/** The decision for a bucket left with `tokens` after one request took (allowed) or could not take a token. */
export function decisionOf(policy: BucketPolicy, tokens: number, allowed: boolean): RateDecision {
  const perSecond = policy.perMinute / 60;
  return {
    allowed,
    limit: policy.burst,
    windowSeconds: Math.max(1, Math.ceil(policy.burst / perSecond)),
    remaining: Math.max(0, Math.floor(tokens)),
    resetSeconds: Math.max(0, Math.ceil((policy.burst - tokens) / perSecond)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perSecond)),
  };
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const SWEEP_EVERY = 10_000;

/**
 * A token bucket per key: `burst` tokens, refilled at `perMinute / 60` per second. Pure apart from its map: the
 * time comes in as an argument. In this process only: with N replicas behind a load balancer a key gets up to N
 * times the rate, unless the shared limiter (`shared-rate-limiter.ts`, Redis) is configured (docs/gateway.md).
 */
export class RateLimiter implements RequestLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly policy: BucketPolicy;
  private decisions = 0;

  constructor(burst: number, perMinute: number) {
    this.policy = { burst, perMinute };
    this.perMs = perMinute / 60_000;
  }

  /** This process's changes are its own: nothing to share (the answer cache drops them itself). */
  noteChange(): Promise<void> {
    return Promise.resolve();
  }

  take(key: string, nowMs: number): RateDecision {
    this.sweepSometimes(nowMs);
    const bucket = this.refilled(key, nowMs);
    const allowed = bucket.tokens >= 1;
    if (allowed) {
      bucket.tokens -= 1;
    }
    return decisionOf(this.policy, bucket.tokens, allowed);
  }

  /** Gives back the token of a request that turned out not to count (e.g. a key that authenticated). */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.policy.burst, bucket.tokens + 1);
    }
  }

  private refilled(key: string, nowMs: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: this.policy.burst, updatedMs: nowMs };
    bucket.tokens = Math.min(this.policy.burst, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * this.perMs);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private sweepSometimes(nowMs: number): void {
    this.decisions += 1;
    if (this.decisions % SWEEP_EVERY !== 0) {
      return;
    }
    const fullAfterMs = this.policy.burst / this.perMs;
    for (const [key, bucket] of this.buckets) {
      if (nowMs - bucket.updatedMs >= fullAfterMs) {
        this.buckets.delete(key);
      }
    }
  }
}
