import { setTimeout as delay } from 'node:timers/promises';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Sustained rate: tokens added per second. */
  ratePerSecond: number;
  /** Bucket size: the largest burst. Default `ratePerSecond` (at least 1). */
  burst?: number;
  /** Epoch ms; default `Date.now`. */
  clock?: () => number;
  /** Waits `ms`, rejecting when `signal` aborts; default node:timers/promises setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A token bucket capping the request rate of one marketplace. Callers reserve a token up front (the count may
 * go negative), so waiters are served in arrival order and each waits exactly until its token exists.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly burst: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) {
      throw new RangeError('TokenBucket ratePerSecond must be positive');
    }
    this.burst = options.burst ?? Math.max(1, options.ratePerSecond);
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.tokens = this.burst;
    this.updatedAt = this.clock();
  }

  /**
   * Reserves one token and says how long to wait before using it (0 when one is available now).
   * Pure bookkeeping on the injected clock; {@link take} does the waiting.
   */
  reserve(): number {
    const now = this.clock();
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.options.ratePerSecond) / 1000);
    this.updatedAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.options.ratePerSecond);
  }

  /**
   * Waits for a token. An aborted wait does not give its token back: the rate stays an upper bound.
   * @param signal stops waiting; the promise rejects with its reason
   */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const waitMs = this.reserve();
    if (waitMs > 0) {
      await this.sleep(waitMs, signal);
    }
  }
}
