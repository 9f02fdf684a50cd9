import { Counter, Gauge, register } from 'prom-client';

/** Numeric value of `shelfwatch_breaker_state`: ordered so that "higher is worse" on a dashboard. */
export const BREAKER_STATE_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;

/** Outcome label of `shelfwatch_breaker_calls_total`, one per `fire()`. */
export type BreakerCallOutcome = 'success' | 'failure' | 'timeout' | 'rejected' | 'filtered';

/** Outcome label of `shelfwatch_retry_attempts_total`, one per attempt made by `retry()`. */
export type RetryAttemptOutcome =
  'success' | 'retry' | 'exhausted' | 'not_retryable' | 'breaker_open' | 'retry_after_exceeded';

/** Metric names, exported so tests and dashboards do not retype them. */
export const RESILIENCE_METRICS = {
  breakerState: 'shelfwatch_breaker_state',
  breakerCalls: 'shelfwatch_breaker_calls_total',
  retryAttempts: 'shelfwatch_retry_attempts_total',
  backgroundLoopFailures: 'shelfwatch_background_loop_failures_total',
} as const;

type MetricClass<M> = new (config: { name: string; help: string; labelNames: readonly string[] }) => M;

// Get-or-create: several breakers share one metric, and Jest may load this module more than once against
// the same default registry; `new Gauge(...)` with a taken name would throw "already registered".
function getOrCreate<M>(kind: MetricClass<M>, name: string, help: string, labelNames: readonly string[]): M {
  const existing = register.getSingleMetric(name);
  if (existing === undefined) {
    return new kind({ name, help, labelNames });
  }
  if (!(existing instanceof kind)) {
    throw new Error(`Metric ${name} is already registered with another type`);
  }
  return existing;
}

/** Gauge of each breaker's state (0 closed, 1 half-open, 2 open). */
export function breakerStateGauge(): Gauge<'breaker'> {
  return getOrCreate<Gauge<'breaker'>>(
    Gauge,
    RESILIENCE_METRICS.breakerState,
    'Circuit breaker state: 0 closed, 1 half-open, 2 open',
    ['breaker'],
  );
}

/** Counter of breaker calls by outcome. */
export function breakerCallsCounter(): Counter<'breaker' | 'outcome'> {
  return getOrCreate<Counter<'breaker' | 'outcome'>>(
    Counter,
    RESILIENCE_METRICS.breakerCalls,
    'Calls through a circuit breaker by outcome (filtered = 4xx that does not count as a failure)',
    ['breaker', 'outcome'],
  );
}

/** Counter of retry attempts by operation and outcome. */
export function retryAttemptsCounter(): Counter<'operation' | 'outcome'> {
  return getOrCreate<Counter<'operation' | 'outcome'>>(
    Counter,
    RESILIENCE_METRICS.retryAttempts,
    'Attempts made by retry() by outcome (retry = failed and will be retried)',
    ['operation', 'outcome'],
  );
}

/** Counter of failed background-loop iterations by loop name. */
export function backgroundLoopFailuresCounter(): Counter<'loop'> {
  return getOrCreate<Counter<'loop'>>(
    Counter,
    RESILIENCE_METRICS.backgroundLoopFailures,
    'Iterations of a background loop (worker, sweep, relay, refresh) that threw; the loop goes on',
    ['loop'],
  );
}
