import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

/** Metric names collected by `collectDefaultMetrics`, one of which tells whether it already ran. */
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total';

/**
 * Starts collecting the process metrics (CPU, memory, event-loop lag, GC) into the default registry.
 * Safe to call any number of times.
 */
export function ensureDefaultMetrics(): void {
  if (!register.getSingleMetric(DEFAULT_METRIC_PROBE)) {
    collectDefaultMetrics({ register });
  }
}

/** The counter `name` of the default registry, created on first use. Throws if `name` is another kind of metric. */
export function counter<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  return getOrCreate(name, Counter, () => new Counter<L>({ name, help, labelNames }));
}

/** The gauge `name` of the default registry, created on first use. Throws if `name` is another kind of metric. */
export function gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
  return getOrCreate(name, Gauge, () => new Gauge<L>({ name, help, labelNames }));
}

/**
 * The histogram `name` of the default registry, created on first use with `buckets` (prom-client's
 * defaults when absent). Throws if `name` is another kind of metric.
 */
export function histogram<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets?: number[],
): Histogram<L> {
  return getOrCreate(
    name,
    Histogram,
    () => new Histogram<L>({ name, help, labelNames, ...(buckets ? { buckets } : {}) }),
  );
}

// `kind` is the class without its type parameters; the label type is the caller's promise, as with `new`.
function getOrCreate<M extends Metric>(
  name: string,
  kind: abstract new (...args: never[]) => Metric,
  create: () => M,
): M {
  const existing = register.getSingleMetric(name);
  if (!existing) {
    return create();
  }
  if (!(existing instanceof kind)) {
    throw new Error(`metric ${name} is already registered as another kind of metric`);
  }
  return existing as M;
}
