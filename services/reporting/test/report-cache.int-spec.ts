import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { REPORTING_RPC, ReportingDashboardView, buildEvent } from '@shelfwatch/contracts';
import { DASHBOARD_SQL } from '../src/reports/dashboard.query';
import { generateHistory, tenantOf } from './support/history.generator';
import { ReportingUnderTest, bootReporting, drained, publish, publishAll } from './support/reporting.fixtures';

describe('reporting report cache under concurrent misses', () => {
  let sut: ReportingUnderTest;
  const now = new Date();
  const events = generateHistory(211, now);
  const tenantId = tenantOf(events);

  beforeAll(async () => {
    sut = await bootReporting();
    await publishAll(sut, events);
    await drained(sut);
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  /** Every dashboard statement the service sends to Postgres while `work` runs. */
  async function dashboardQueriesDuring<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
    const execute = jest.spyOn(EntityManager.prototype, 'execute');
    try {
      const result = await work();
      const queries = execute.mock.calls.filter(([sql]) => sql === DASHBOARD_SQL).length;
      return { result, queries };
    } finally {
      execute.mockRestore();
    }
  }

  /** An alert raised for the tenant: moves the dashboard's version on, so the next lookup misses. */
  async function raiseAlert(): Promise<void> {
    const origin = { tenantId, correlationId: randomUUID(), causationId: null };
    const data = {
      alertId: randomUUID(),
      ruleId: randomUUID(),
      alertType: 'rank_drop' as const,
      productId: randomUUID(),
      keywordId: randomUUID(),
      crawlId: randomUUID(),
      message: 'rank drop',
      details: {},
    };
    await publish(sut, buildEvent('alert.raised', data, origin, { id: randomUUID(), occurredAt: new Date() }));
    await drained(sut);
  }

  it('computes a dashboard once for 50 requests that miss it at the same time', async () => {
    await raiseAlert();
    const { result: views, queries } = await dashboardQueriesDuring(() =>
      Promise.all(
        Array.from({ length: 50 }, () =>
          sut.rpc.request<ReportingDashboardView>(REPORTING_RPC.dashboard, { tenantId }),
        ),
      ),
    );
    expect(queries).toBe(1);
    expect(new Set(views.map((view) => JSON.stringify(view))).size).toBe(1);
    const metrics = await sut.booted.sut.get('/metrics');
    expect(metrics.body).toMatch(/shelfwatch_reporting_cache_requests_total\{cache="dashboard",outcome="miss"\} 1\n/);
  });

  it('computes again, once, for 50 concurrent requests after the next event', async () => {
    const before = await sut.rpc.request<ReportingDashboardView>(REPORTING_RPC.dashboard, { tenantId });
    await raiseAlert();
    const { result: views, queries } = await dashboardQueriesDuring(() =>
      Promise.all(
        Array.from({ length: 50 }, () =>
          sut.rpc.request<ReportingDashboardView>(REPORTING_RPC.dashboard, { tenantId }),
        ),
      ),
    );
    expect(queries).toBe(1);
    for (const view of views) {
      expect(view.openAlerts.rank_drop).toBe(before.openAlerts.rank_drop + 1);
    }
  });
});
