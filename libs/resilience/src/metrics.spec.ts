import { Counter, Gauge, register } from 'prom-client';
import { createBreaker } from './breaker';
import { breakerCallsCounter, breakerStateGauge, RESILIENCE_METRICS, retryAttemptsCounter } from './metrics';

describe('resilience metrics', () => {
  it('returns the same metric on every call, so several breakers share it', () => {
    const first = createBreaker('metrics-a', async () => 'a');
    const second = createBreaker('metrics-b', async () => 'b');

    expect(breakerStateGauge()).toBe(breakerStateGauge());
    expect(breakerCallsCounter()).toBe(breakerCallsCounter());
    expect(retryAttemptsCounter()).toBe(retryAttemptsCounter());
    first.shutdown();
    second.shutdown();
  });

  it('reuses a metric registered earlier by another copy of the library', () => {
    register.removeSingleMetric(RESILIENCE_METRICS.retryAttempts);
    const earlier = new Counter({
      name: RESILIENCE_METRICS.retryAttempts,
      help: 'registered by another module instance',
      labelNames: ['operation', 'outcome'],
    });

    expect(retryAttemptsCounter()).toBe(earlier);
  });

  it('fails loudly when the name is taken by a different metric type', () => {
    register.removeSingleMetric(RESILIENCE_METRICS.breakerCalls);
    new Gauge({ name: RESILIENCE_METRICS.breakerCalls, help: 'wrong type', labelNames: ['breaker', 'outcome'] });

    expect(() => breakerCallsCounter()).toThrow(/another type/);
    register.removeSingleMetric(RESILIENCE_METRICS.breakerCalls);
  });
});
