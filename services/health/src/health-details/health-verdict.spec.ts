import { InstanceHeartbeat, heartbeatExpiryMs } from '@shelfwatch/platform';
import {
  HealthComponent,
  SeenInstance,
  crawlFreshness,
  MarketplaceReport,
  isAlive,
  marketplaceComponent,
  overallStatus,
  schedulerComponent,
  serviceComponent,
  unknownMarketplaceComponents,
} from './health-verdict';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;

function component(name: string, status: HealthComponent['status']): HealthComponent {
  return { name, status, latencyMs: 1, message: null };
}

function seen(overrides: Partial<InstanceHeartbeat> = {}, receivedAgoMs = 1_000): SeenInstance {
  return {
    receivedAt: NOW - receivedAgoMs,
    heartbeat: {
      service: 'ranking',
      instanceId: '0190a000-0000-7000-8000-000000000001',
      version: '0.1.0',
      host: 'pod-1',
      pid: 1,
      startedAt: '2026-11-22T11:00:00Z',
      uptimeSeconds: 3_600,
      ready: true,
      problems: [],
      stopping: false,
      intervalMs: 5_000,
      sentAt: '2026-11-22T11:59:59Z',
      ...overrides,
    },
  };
}

describe('health verdict', () => {
  it('given Postgres or NATS down, when judged, then the platform is unhealthy', () => {
    expect(overallStatus([component('postgres', 'down'), component('nats', 'up')])).toBe('unhealthy');
    expect(overallStatus([component('postgres', 'up'), component('nats', 'down')])).toBe('unhealthy');
  });

  it('given only a service or the dead letters off, when judged, then the platform is degraded', () => {
    expect(overallStatus([component('postgres', 'up'), component('service:ranking', 'degraded')])).toBe('degraded');
    expect(overallStatus([component('nats', 'up'), component('dead-letters', 'degraded')])).toBe('degraded');
    expect(overallStatus([component('postgres', 'up'), component('nats', 'up')])).toBe('healthy');
  });

  it('given an instance silent for longer than two beats, when asked, then it is gone', () => {
    expect(isAlive(seen({}, 10_000), NOW, heartbeatExpiryMs)).toBe(true);
    expect(isAlive(seen({}, 11_001), NOW, heartbeatExpiryMs)).toBe(false);
    expect(isAlive(seen({ stopping: true }, 0), NOW, heartbeatExpiryMs)).toBe(false);
  });

  it('given no live instance, when the service is judged, then it is degraded and named', () => {
    expect(serviceComponent('ranking', [])).toEqual({
      name: 'service:ranking',
      status: 'degraded',
      message: 'ranking has no running instance',
    });
    expect(
      serviceComponent('ranking', [seen({ ready: false, problems: ['nats: not connected to NATS'] })]),
    ).toMatchObject({ status: 'degraded', message: 'ranking has no ready instance: nats: not connected to NATS' });
    expect(serviceComponent('ranking', [seen(), seen({ ready: false })])).toMatchObject({
      status: 'up',
      message: '1 of 2 instances ready (version 0.1.0)',
    });
  });

  it('given the crawler cannot say what is overdue, when the last crawl is over twice the interval old, then freshness is degraded', () => {
    const freshness = (lastCompletedAt: number) =>
      crawlFreshness({ lastCompletedAt, keywordsOverdue: null, now: NOW, intervalMs: HOUR });
    expect(freshness(NOW - 2 * HOUR - 1).status).toBe('degraded');
    expect(freshness(NOW - 2 * HOUR).status).toBe('up');
  });

  it('given no crawl ever completed, when judged, then freshness is unknown, not up', () => {
    expect(crawlFreshness({ lastCompletedAt: null, keywordsOverdue: 0, now: NOW, intervalMs: HOUR })).toMatchObject({
      status: 'unknown',
      message: 'no crawl completed yet',
    });
    expect(crawlFreshness({ lastCompletedAt: null, keywordsOverdue: null, now: NOW, intervalMs: HOUR }).status).toBe(
      'unknown',
    );
  });

  it('given keywords overdue by over twice their interval, when judged, then freshness is degraded naming how many', () => {
    expect(crawlFreshness({ lastCompletedAt: NOW, keywordsOverdue: 3, now: NOW, intervalMs: HOUR })).toMatchObject({
      status: 'degraded',
      message: '3 keywords not crawled successfully for over twice their interval',
    });
    // Overdue keywords whose crawls never once completed: degraded, not unknown.
    expect(crawlFreshness({ lastCompletedAt: null, keywordsOverdue: 1, now: NOW, intervalMs: HOUR }).status).toBe(
      'degraded',
    );
  });

  it('given the crawler says nothing is overdue, when the last crawl is old, then freshness is up (long intervals)', () => {
    expect(
      crawlFreshness({ lastCompletedAt: NOW - 5 * HOUR, keywordsOverdue: 0, now: NOW, intervalMs: HOUR }).status,
    ).toBe('up');
  });

  it('given no ready crawler or no recent request, when the scheduler is judged, then it is degraded', () => {
    expect(schedulerComponent(false, NOW, NOW, HOUR).status).toBe('degraded');
    expect(schedulerComponent(true, NOW - 3 * HOUR, NOW, HOUR).status).toBe('degraded');
    expect(schedulerComponent(true, NOW - HOUR, NOW, HOUR).status).toBe('up');
    expect(schedulerComponent(true, null, NOW, HOUR).status).toBe('up');
  });
});

describe('marketplace components', () => {
  function report(overrides: Partial<MarketplaceReport['status']> = {}): MarketplaceReport {
    return {
      id: 'naver',
      name: 'Naver Shopping',
      status: {
        state: 'ok',
        breaker: 'closed',
        pausedUntil: null,
        successRateLastHour: 1,
        lastError: null,
        ...overrides,
      },
    };
  }

  it('given each marketplace state, when judged, then the component is up, degraded, down or unknown', () => {
    expect(marketplaceComponent(report())).toMatchObject({ name: 'marketplace:naver', status: 'up' });
    expect(marketplaceComponent(report({ state: 'degraded', breaker: 'open' }))).toMatchObject({
      status: 'degraded',
      message: expect.stringContaining('breaker open') as unknown,
    });
    const lastError = { code: 'upstream_error', message: '503', at: '2026-11-22T11:59:00.000Z' };
    expect(marketplaceComponent(report({ state: 'unhealthy', successRateLastHour: 0, lastError }))).toMatchObject({
      status: 'down',
      message: expect.stringContaining('last error upstream_error') as unknown,
    });
    expect(marketplaceComponent(report({ state: 'unknown', successRateLastHour: null }))).toMatchObject({
      status: 'unknown',
    });
  });

  it('given an unhealthy marketplace, when the platform is judged, then it is degraded, never unhealthy', () => {
    const down = { ...marketplaceComponent(report({ state: 'unhealthy' })), latencyMs: 0 };
    expect(overallStatus([component('postgres', 'up'), down])).toBe('degraded');
  });

  it('given the crawler does not answer, when judged, then the marketplaces are unknown and the verdict unchanged', () => {
    const unknown = unknownMarketplaceComponents(['naver'], 'timeout');
    expect(unknown).toEqual([
      { name: 'marketplace:naver', status: 'unknown', message: 'the crawler did not answer: timeout' },
    ]);
    expect(unknownMarketplaceComponents([], 'timeout').map((c) => c.name)).toEqual(['marketplaces']);
    expect(overallStatus([component('postgres', 'up'), ...unknown.map((c) => ({ ...c, latencyMs: 0 }))])).toBe(
      'healthy',
    );
  });
});
