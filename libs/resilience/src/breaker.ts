import CircuitBreaker from 'opossum';
import { isBreakerOpen, isClientError, ResilienceErrorCode, withoutStackTrace } from './errors';
import { BREAKER_STATE_VALUE, type BreakerCallOutcome, breakerCallsCounter, breakerStateGauge } from './metrics';

/** Breaker state as reported by {@link Breaker.state}. */
export type BreakerState = 'closed' | 'halfOpen' | 'open';

/** Tuning of one breaker; every duration is in milliseconds. */
export interface BreakerOptions {
  /** Per-call timeout; the call's AbortSignal is aborted when it elapses. Default 8000. */
  timeout?: number;
  /** Time spent open before one half-open probe is let through. Default 30000. */
  resetTimeout?: number;
  /** Failure rate (%) above which the breaker opens. Default 50. */
  errorThresholdPercentage?: number;
  /** Calls in the window before the rate is judged (opossum's 0 would open on the first failure). Default 10. */
  volumeThreshold?: number;
  /** Length of the rolling statistics window. Default 30000. */
  rollingCountTimeout?: number;
  /** Buckets in the rolling window. Default 10. */
  rollingCountBuckets?: number;
  /** Maximum concurrent calls; beyond it calls reject with ESEMLOCKED. Default unlimited. */
  capacity?: number;
  /** Errors that reject to the caller without counting as failures. Default {@link isClientError}. */
  errorFilter?: (err: unknown) => boolean;
  /**
   * The `breaker` label of its metrics when it must not be the name: breakers made per tenant-owned thing (one
   * per webhook) share one bounded label, count their calls under it and export no state series (many breakers
   * have no one state; their owner exports what it needs). Default: the name, with a state series.
   */
  sharedMetricLabel?: string;
}

/** Defaults applied by {@link createBreaker}. */
export const DEFAULT_BREAKER_OPTIONS = {
  timeout: 8_000,
  resetTimeout: 30_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingCountTimeout: 30_000,
  rollingCountBuckets: 10,
} as const;

/** An action guarded by a breaker: its own arguments followed by the AbortSignal of this call. */
export type BreakerAction<TArgs extends unknown[], TResult> = (...args: [...TArgs, AbortSignal]) => Promise<TResult>;

interface BreakerCall<TArgs extends unknown[]> {
  args: TArgs;
  signal: AbortSignal;
}

const REJECTION_CODES: ReadonlySet<unknown> = new Set([
  ResilienceErrorCode.BreakerSaturated,
  ResilienceErrorCode.BreakerShutdown,
]);

/**
 * One circuit breaker per external dependency (opossum 10 underneath), created once and shared.
 *
 * Each call gets its own AbortController, aborted when that call times out. opossum's shared
 * `abortController` is deliberately not used: after one timeout its signal stays aborted until the breaker
 * changes state (`autoRenewAbortController` only renews on half-open/close), so every later call would
 * start pre-aborted, and one slow call would abort all concurrent ones (nodeshift/opossum#861).
 */
export class Breaker<TArgs extends unknown[], TResult> {
  private readonly circuit: CircuitBreaker<[BreakerCall<TArgs>], TResult>;
  private readonly errorFilter: (err: unknown) => boolean;
  private readonly timedOut = new WeakSet<object>();
  private readonly inFlight = new Set<AbortController>();
  private readonly calls = breakerCallsCounter();
  private readonly stateGauge = breakerStateGauge();
  private readonly metricLabel: string;

  constructor(
    readonly name: string,
    action: BreakerAction<TArgs, TResult>,
    options: BreakerOptions = {},
  ) {
    this.errorFilter = options.errorFilter ?? isClientError;
    this.metricLabel = options.sharedMetricLabel ?? name;
    this.circuit = new CircuitBreaker((call: BreakerCall<TArgs>) => action(...call.args, call.signal), {
      ...DEFAULT_BREAKER_OPTIONS,
      ...definedOnly(options),
      name,
      errorFilter: this.errorFilter,
    });
    // Remember opossum's own timeout errors so fire() can tell them from an action's ETIMEDOUT.
    this.circuit.on('timeout', (err) => this.timedOut.add(err));
    if (options.sharedMetricLabel === undefined) {
      this.stateGauge.set({ breaker: name }, BREAKER_STATE_VALUE.closed);
      this.onStateChange((state) => this.stateGauge.set({ breaker: name }, BREAKER_STATE_VALUE[state]));
    }
  }

  /** Current state; a shut-down breaker reports 'open' since it rejects every call. */
  get state(): BreakerState {
    if (this.circuit.closed) {
      return 'closed';
    }
    return this.circuit.halfOpen ? 'halfOpen' : 'open';
  }

  /** True once {@link shutdown} has been called. */
  get isShutdown(): boolean {
    return this.circuit.isShutdown;
  }

  /** Rolling-window counters, for readiness *details* (an open third-party breaker must not fail readiness). */
  get stats(): CircuitBreaker.Stats {
    return this.circuit.stats;
  }

  /**
   * Calls the action through the breaker, appending this call's AbortSignal to `args`.
   * Rejects with the action's error, or with an opossum error: EOPENBREAKER (see `isBreakerOpen`),
   * ETIMEDOUT, ESEMLOCKED or ESHUTDOWN.
   */
  async fire(...args: TArgs): Promise<TResult> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      const call = { args, signal: controller.signal };
      // Open, it rejects at once without running the action: that rejection needs no stack (withoutStackTrace).
      const failsFast = !this.circuit.closed && !this.circuit.pendingClose;
      const result = await (failsFast ? withoutStackTrace(() => this.circuit.fire(call)) : this.circuit.fire(call));
      this.record('success');
      return result;
    } catch (err) {
      const timedOut = isObject(err) && this.timedOut.has(err);
      if (timedOut) {
        controller.abort(err);
      }
      this.record(timedOut ? 'timeout' : this.classify(err));
      throw err;
    } finally {
      this.inFlight.delete(controller);
    }
  }

  /**
   * Subscribes to state transitions (e.g. to pause a JetStream consumer while open).
   * @returns a function that unsubscribes
   */
  onStateChange(listener: (state: BreakerState) => void): () => void {
    const onOpen = (): void => listener('open');
    const onHalfOpen = (): void => listener('halfOpen');
    const onClose = (): void => listener('closed');
    this.circuit.on('open', onOpen).on('halfOpen', onHalfOpen).on('close', onClose);
    return () => {
      this.circuit.off('open', onOpen).off('halfOpen', onHalfOpen).off('close', onClose);
    };
  }

  /** Stops timers, aborts in-flight calls and rejects later calls with ESHUTDOWN. Call it on app shutdown. */
  shutdown(): void {
    for (const controller of this.inFlight) {
      controller.abort(new Error(`Breaker ${this.name} shut down`));
    }
    this.circuit.shutdown();
    // A stopped breaker has no state worth scraping; keeping the series would show a stale value.
    this.stateGauge.remove({ breaker: this.name });
  }

  private classify(err: unknown): BreakerCallOutcome {
    if (isBreakerOpen(err) || (isObject(err) && REJECTION_CODES.has(err.code))) {
      return 'rejected';
    }
    return this.errorFilter(err) ? 'filtered' : 'failure';
  }

  private record(outcome: BreakerCallOutcome): void {
    this.calls.inc({ breaker: this.metricLabel, outcome });
  }
}

function isObject(value: unknown): value is object & { code?: unknown } {
  return typeof value === 'object' && value !== null;
}

// A spread of `{ timeout: undefined }` would override the default with undefined, which opossum reads as
// "no timeout"; drop undefined keys first.
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Creates the breaker for one external dependency.
 * @param name dependency name, used as the `breaker` metric label (e.g. `'marketplace-search'`)
 * @param action the guarded call; honour the trailing AbortSignal so a timeout really cancels the work
 */
export function createBreaker<TArgs extends unknown[], TResult>(
  name: string,
  action: BreakerAction<TArgs, TResult>,
  options: BreakerOptions = {},
): Breaker<TArgs, TResult> {
  return new Breaker(name, action, options);
}
