import { counter, gauge } from '@shelfwatch/observability';
import { Logger } from 'pino';
import { BucketStore } from './redis-bucket.store';
import { BucketPolicy, RateLimiter, RequestLimiter, SharedDecision, decisionOf } from './rate-limiter';

/** Metric names, so tests and dashboards do not retype them. */
export const RATE_LIMIT_METRICS = {
  fallbackActive: 'shelfwatch_gateway_rate_limit_fallback_active',
  fallbackDecisions: 'shelfwatch_gateway_rate_limit_fallback_decisions_total',
} as const;

/** How the shared limiter behaves when its store cannot answer. */
export interface SharedLimiterOptions {
  /** Which limit this is, the `limit` label of its metrics: `tenant` (requests) or `auth` (unauthenticated ones). */
  limit: string;
  /** The bucket every replica shares. */
  policy: BucketPolicy;
  /**
   * Replicas the limit is divided among while the store is away: each replica then limits on its own to
   * `burst / replicas` at once and `perMinute / replicas` sustained (at least 1 each).
   */
  fallbackReplicas: number;
  /** While the store is away, it is asked again (in the background, never by a request) at most this often. */
  probeEveryMs: number;
  logger: Logger;
}

/** The policy each replica applies on its own while the shared store is away. */
export function fallbackPolicy(policy: BucketPolicy, replicas: number): BucketPolicy {
  return {
    burst: Math.max(1, Math.floor(policy.burst / replicas)),
    perMinute: Math.max(1, Math.floor(policy.perMinute / replicas)),
  };
}

/**
 * One bucket per key shared by every gateway replica through a {@link BucketStore} (Redis). A request never
 * fails or waits because the store is gone: the store answers within its timeout or the request is limited by
 * this replica's own bucket at the fallback policy. The outage is logged once, shown by
 * `shelfwatch_gateway_rate_limit_fallback_active`, and ends when a background ping answers again.
 */
export class SharedRateLimiter implements RequestLimiter {
  private readonly local: RateLimiter;
  private readonly activeGauge = gauge(
    RATE_LIMIT_METRICS.fallbackActive,
    'Whether this gateway replica applies a limit on its own (1) because the shared store (Redis) is away',
    ['limit'],
  );
  private readonly fallbackCounter = counter(
    RATE_LIMIT_METRICS.fallbackDecisions,
    'Rate-limit decisions this gateway replica took on its own because the shared store (Redis) was away',
    ['limit'],
  );
  private outageSinceMs: number | null = null;
  private lastProbeMs = 0;
  private probing = false;

  constructor(
    private readonly store: BucketStore,
    private readonly options: SharedLimiterOptions,
  ) {
    const fallback = fallbackPolicy(options.policy, options.fallbackReplicas);
    this.local = new RateLimiter(fallback.burst, fallback.perMinute);
    this.activeGauge.set({ limit: this.options.limit }, 0);
  }

  /** Whether decisions are currently taken by this replica alone. */
  get degraded(): boolean {
    return this.outageSinceMs !== null;
  }

  /** The decision, with the changes stamp of the key's owner; without it while the store is away. */
  async take(key: string, nowMs: number): Promise<SharedDecision> {
    if (this.outageSinceMs !== null) {
      this.probeSometimes(nowMs);
      return this.takeLocally(key, nowMs);
    }
    try {
      const taken = await this.store.take(key, this.options.policy);
      return { ...decisionOf(this.options.policy, taken.tokens, taken.allowed), changes: taken.changes };
    } catch (error) {
      this.startOutage(error, nowMs);
      return this.takeLocally(key, nowMs);
    }
  }

  /**
   * Gives the key's bucket back a token, in the store while it answers, else in this replica's own bucket. Never
   * rejects: a refund that fails starts the outage (the next decisions are this replica's own).
   */
  async refund(key: string): Promise<void> {
    if (this.outageSinceMs !== null) {
      this.local.refund(key);
      return;
    }
    await this.store.refund(key, this.options.policy).catch((error: unknown) => this.startOutage(error, Date.now()));
  }

  /**
   * Counts a change by the key's owner in the store, so that every replica's next request reads a new stamp. Never
   * fails the request: while the store is away (or when this write fails, which starts the outage) the change is
   * not counted, and the other replicas see it as they did without a shared store, once their kept answers reach
   * their TTL.
   */
  async noteChange(key: string): Promise<void> {
    if (this.outageSinceMs !== null) {
      return;
    }
    await this.store.noteChange(key).catch((error: unknown) => this.startOutage(error, Date.now()));
  }

  private takeLocally(key: string, nowMs: number): SharedDecision {
    this.fallbackCounter.inc({ limit: this.options.limit });
    return this.local.take(key, nowMs);
  }

  private startOutage(error: unknown, nowMs: number): void {
    if (this.outageSinceMs !== null) {
      return;
    }
    this.outageSinceMs = nowMs;
    this.lastProbeMs = nowMs;
    this.activeGauge.set({ limit: this.options.limit }, 1);
    const { burst, perMinute } = fallbackPolicy(this.options.policy, this.options.fallbackReplicas);
    this.options.logger.warn(
      { err: error, burst, perMinute },
      'rate limit store (Redis) unreachable: limiting in this replica alone until it answers again',
    );
  }

  private probeSometimes(nowMs: number): void {
    if (this.probing || nowMs - this.lastProbeMs < this.options.probeEveryMs) {
      return;
    }
    this.probing = true;
    this.lastProbeMs = nowMs;
    this.store
      .ping()
      .then(() => this.endOutage(nowMs))
      .catch(() => undefined)
      .finally(() => (this.probing = false));
  }

  private endOutage(nowMs: number): void {
    if (this.outageSinceMs === null) {
      return;
    }
    const seconds = Math.round((nowMs - this.outageSinceMs) / 1_000);
    this.outageSinceMs = null;
    this.activeGauge.set({ limit: this.options.limit }, 0);
    this.options.logger.warn({ outageSeconds: seconds }, 'rate limit store (Redis) answers again: limits shared again');
  }
}
