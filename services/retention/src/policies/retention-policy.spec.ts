import { beyondMaximum, cutoffFor, effectivePolicy, planPurges, streamMaxAges, sweepPeriod } from './retention-policy';

const DEFAULTS = { ranking_rows: 30, crawl_runs: 30, alerts: 180, delivery_logs: 30 };
const NOW = new Date('2026-11-22T15:30:00Z');
const TENANT = '0190a000-0000-7000-8000-0000000000aa';

describe('retention policy', () => {
  it('given no override, when the policy is read, then every kind has its default', () => {
    expect(effectivePolicy(DEFAULTS, [])).toEqual([
      { dataKind: 'ranking_rows', days: 30, source: 'default' },
      { dataKind: 'crawl_runs', days: 30, source: 'default' },
      { dataKind: 'alerts', days: 180, source: 'default' },
      { dataKind: 'delivery_logs', days: 30, source: 'default' },
    ]);
  });

  it("given a tenant's override, when the policy is read, then that kind is the tenant's", () => {
    const policy = effectivePolicy(DEFAULTS, [{ tenantId: TENANT, dataKind: 'alerts', days: 7 }]);
    expect(policy[2]).toEqual({ dataKind: 'alerts', days: 7, source: 'tenant' });
  });

  it('given 30 days, when the cut-off is computed, then it is exactly 30 days before now', () => {
    expect(cutoffFor(NOW, 30).toISOString()).toBe('2026-10-23T15:30:00.000Z');
  });

  it('given a daily interval, when two instants of one day ask, then they share one period', () => {
    const day = 86_400_000;
    expect(sweepPeriod(NOW, day)).toEqual(sweepPeriod(new Date('2026-11-22T00:00:01Z'), day));
    expect(sweepPeriod(NOW, day).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(sweepPeriod(new Date('2026-11-23T00:00:00Z'), day)).not.toEqual(sweepPeriod(NOW, day));
  });

  it('given an override, when purges are planned, then only that kind carries a tenant cut-off', () => {
    const plans = planPurges(NOW, DEFAULTS, [{ tenantId: TENANT, dataKind: 'ranking_rows', days: 90 }]);
    expect(plans.map((plan) => [plan.dataKind, plan.tenantCutoffs.length])).toEqual([
      ['ranking_rows', 1],
      ['crawl_runs', 0],
      ['alerts', 0],
      ['delivery_logs', 0],
    ]);
    expect(plans[0]?.tenantCutoffs[0]?.cutoff).toEqual(cutoffFor(NOW, 90));
  });

  it('given overrides, when stream ages are derived, then each is the longest window and TRACKING has none', () => {
    const ages = streamMaxAges(
      DEFAULTS,
      [
        { tenantId: TENANT, dataKind: 'ranking_rows', days: 90 },
        { tenantId: TENANT, dataKind: 'crawl_runs', days: 7 },
        { tenantId: TENANT, dataKind: 'delivery_logs', days: 365 },
      ],
      365,
    );
    expect(ages).toEqual({ CRAWL: 30, RANKING: 90, ALERT: 365 });
    expect(ages).not.toHaveProperty('TRACKING');
  });

  it('given a policy stored beyond the platform maximum, when stream ages are derived, then none exceeds it', () => {
    const ages = streamMaxAges(
      { ...DEFAULTS, alerts: 400 },
      [
        { tenantId: TENANT, dataKind: 'ranking_rows', days: 3_650 },
        { tenantId: TENANT, dataKind: 'crawl_runs', days: 366 },
      ],
      365,
    );

    expect(ages).toEqual({ CRAWL: 365, RANKING: 365, ALERT: 365 });
  });

  it('given changes, when checked against the maximum, then only those keeping longer are named', () => {
    const changes = [
      { dataKind: 'alerts' as const, days: 366 },
      { dataKind: 'crawl_runs' as const, days: 365 },
      { dataKind: 'ranking_rows' as const, days: null },
    ];

    expect(beyondMaximum(changes, 365)).toEqual([{ dataKind: 'alerts', days: 366 }]);
  });
});
