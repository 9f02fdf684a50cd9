import { codeMetrics, seriesIn } from './metric-catalogue';

// Every metric the code registers is ShelfWatch's and says its unit (Prometheus naming conventions): counters end
// in `_total`, histograms in `_seconds` or `_bytes`.

const metrics = codeMetrics();

describe('metric names', () => {
  it('are read from the code: the gateway, messaging, crawler and alerting metrics among them', () => {
    expect(metrics.map((metric) => `${metric.name} ${metric.kind}`)).toEqual(
      expect.arrayContaining([
        'shelfwatch_http_server_request_duration_seconds histogram',
        'shelfwatch_rpc_request_duration_seconds histogram',
        'shelfwatch_handler_duration_seconds histogram',
        'shelfwatch_consumer_pending_messages gauge',
        'shelfwatch_crawls_total counter',
        'shelfwatch_crawl_backpressure_paused gauge',
        'shelfwatch_crawl_backpressure_pending_messages gauge',
        'shelfwatch_crawl_backpressure_read_failures_total counter',
        'shelfwatch_marketplace_quota_remaining_requests gauge',
        'shelfwatch_breaker_state gauge',
        'shelfwatch_webhook_breakers_open gauge',
      ]),
    );
  });

  it.each(metrics.map((metric) => [metric.name, metric] as const))(
    '%s: shelfwatch_ prefix and unit suffix',
    (_name, metric) => {
      expect(metric.name).toMatch(/^shelfwatch_[a-z0-9_]+$/);
      if (metric.kind === 'counter') {
        expect(metric.name).toMatch(/_total$/);
      }
      if (metric.kind === 'histogram') {
        expect(metric.name).toMatch(/_(seconds|bytes)$/);
      }
    },
  );
});

describe('seriesIn', () => {
  it('finds the series of a query, not its functions, labels, ranges or keywords', () => {
    expect(
      seriesIn(
        'sum by (marketplace) (rate(shelfwatch_crawls_total{outcome!="completed"}[15m])) / on (marketplace) group_left max(up) > bool 0.2',
      ),
    ).toEqual(['shelfwatch_crawls_total', 'up']);
  });
});
