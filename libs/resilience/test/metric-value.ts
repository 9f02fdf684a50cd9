import { Histogram, register } from 'prom-client';

/** Reads one labelled sample from the default registry; 0 when the series does not exist (yet). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = register.getSingleMetric(name);
  if (metric === undefined) {
    return 0;
  }
  const { values } = await metric.get();
  const sample = values.find((value) =>
    Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return sample?.value ?? 0;
}

/** True when the labelled series exists at all (e.g. to check it was removed). */
export async function hasSeries(name: string, labels: Record<string, string>): Promise<boolean> {
  const metric = register.getSingleMetric(name);
  if (metric === undefined) {
    return false;
  }
  const { values } = await metric.get();
  return values.some((value) => Object.entries(labels).every(([key, expected]) => value.labels[key] === expected));
}

/** How many observations a histogram counted for the labelled series (its `_count` sample); 0 when none. */
export async function histogramCount(name: string, labels: Record<string, string>): Promise<number> {
  const metric = register.getSingleMetric(name);
  if (!(metric instanceof Histogram)) {
    return 0;
  }
  const { values } = await metric.get();
  const sample = values.find(
    (value) =>
      value.metricName === `${name}_count` &&
      Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return sample?.value ?? 0;
}
