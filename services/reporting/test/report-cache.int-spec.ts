import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  EventEnvelope,
  REPORTING_RPC,
  ReportingBrandsView,
  ReportingDashboardView,
  buildEvent,
} from '@shelfwatch/contracts';
import { dayBucket } from '../src/projections/buckets';
import { BRANDS_SQL } from '../src/reports/brands.query';
import { DASHBOARD_SQL } from '../src/reports/dashboard.query';
import { generateHistory, tenantOf } from './support/history.generator';
import { ReportingUnderTest, bootReporting, drained, publish, publishAll } from './support/reporting.fixtures';

const DAY_MS = 86_400_000;

describe('reporting report cache: single flight and invalidation per report', () => {
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

  /** How many times the service sent `statement` to Postgres while `work` ran. */
  async function queriesDuring<T>(statement: string, work: () => Promise<T>): Promise<{ result: T; queries: number }> {
    const execute = jest.spyOn(EntityManager.prototype, 'execute');
    try {
      const result = await work();
      const queries = execute.mock.calls.filter(([sql]) => sql === statement).length;
      return { result, queries };
    } finally {
      execute.mockRestore();
    }
  }

  const dashboardQueriesDuring = <T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> =>
    queriesDuring(DASHBOARD_SQL, work);

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

  it('keeps the dashboard and other days of brand share cached when a crawl is recorded late', async () => {
    const recorded = events.filter((e): e is EventEnvelope<'ranking.recorded'> => e.type === 'ranking.recorded');
    const last = recorded.at(-1);
    if (!last) {
      throw new Error('the history records no crawl');
    }
    // The keyword's latest crawl again, made 70 h ago (recorded now): older than every latest rank it carries.
    const crawledAt = new Date(now.getTime() - 70 * 3_600_000).toISOString();
    const lateDay = dayBucket(crawledAt);
    const { keywordId } = last.data;
    const after = new Date(Date.parse(lateDay) + DAY_MS).toISOString();
    const since = (from: string) => ({ tenantId, keywordId, from, to: now.toISOString(), topN: 10 });
    const brands = (from: string) => sut.rpc.request<ReportingBrandsView>(REPORTING_RPC.brands, since(from));
    const dashboardBefore = await sut.rpc.request<ReportingDashboardView>(REPORTING_RPC.dashboard, { tenantId });
    const laterDaysBefore = await brands(after);
    const withLateDayBefore = await brands(lateDay);

    const data = { ...last.data, crawlId: randomUUID(), recordedAt: now.toISOString(), crawledAt };
    await publish(sut, buildEvent('ranking.recorded', data, last, { id: randomUUID(), occurredAt: new Date() }));
    await drained(sut);

    const dashboard = await dashboardQueriesDuring(() =>
      sut.rpc.request<ReportingDashboardView>(REPORTING_RPC.dashboard, { tenantId }),
    );
    expect(dashboard).toEqual({ result: dashboardBefore, queries: 0 });
    expect(await queriesDuring(BRANDS_SQL, () => brands(after))).toEqual({ result: laterDaysBefore, queries: 0 });
    const withLateDay = await queriesDuring(BRANDS_SQL, () => brands(lateDay));
    expect(withLateDay.queries).toBe(1);
    const slots = (view: ReportingBrandsView) =>
      view.days.find((day) => day.day === lateDay.slice(0, 10))?.totalSlots ?? 0;
    expect(slots(withLateDay.result)).toBeGreaterThan(slots(withLateDayBefore));
  });
});
