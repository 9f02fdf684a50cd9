import { register } from 'prom-client';
import { counter, ensureDefaultMetrics, gauge, histogram } from './metrics';

afterEach(() => register.clear());

describe('metric helpers', () => {
  it('return the metric already registered under a name instead of a second one', async () => {
    const first = counter('sw_test_events_total', 'events', ['type']);
    const second = counter('sw_test_events_total', 'events', ['type']);
    first.inc({ type: 'crawl.completed' });
    second.inc({ type: 'crawl.completed' });

    expect(second).toBe(first);
    expect(gauge('sw_test_lag', 'lag')).toBe(gauge('sw_test_lag', 'lag'));
    expect(histogram('sw_test_seconds', 'seconds', [], [0.1, 1])).toBe(histogram('sw_test_seconds', 'seconds'));
    expect(await register.getSingleMetricAsString('sw_test_events_total')).toContain(
      'sw_test_events_total{type="crawl.completed"} 2',
    );
  });

  it('refuse a name that is already another kind of metric', () => {
    gauge('sw_test_inflight', 'in flight');
    expect(() => counter('sw_test_inflight', 'in flight')).toThrow(/another kind/);
  });

  it('start the default process metrics once however often asked', async () => {
    ensureDefaultMetrics();
    ensureDefaultMetrics();

    const text = await register.metrics();
    expect(text.match(/^# TYPE process_cpu_user_seconds_total/gm)).toHaveLength(1);
  });
});
