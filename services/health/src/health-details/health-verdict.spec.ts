import { InstanceHeartbeat, heartbeatExpiryMs } from '@shelfwatch/platform';
import {
  HealthComponent,
  SeenInstance,
  crawlFreshness,
  isAlive,
  overallStatus,
  schedulerComponent,
  serviceComponent,
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

  it('given the last crawl over twice the interval ago, when judged, then freshness is degraded', () => {
    expect(crawlFreshness(NOW - 2 * HOUR - 1, NOW, HOUR).status).toBe('degraded');
    expect(crawlFreshness(NOW - 2 * HOUR, NOW, HOUR).status).toBe('up');
    expect(crawlFreshness(null, NOW, HOUR)).toMatchObject({ status: 'up', message: 'no crawl completed yet' });
  });

  it('given no ready crawler or no recent request, when the scheduler is judged, then it is degraded', () => {
    expect(schedulerComponent(false, NOW, NOW, HOUR).status).toBe('degraded');
    expect(schedulerComponent(true, NOW - 3 * HOUR, NOW, HOUR).status).toBe('degraded');
    expect(schedulerComponent(true, NOW - HOUR, NOW, HOUR).status).toBe('up');
    expect(schedulerComponent(true, null, NOW, HOUR).status).toBe('up');
  });
});
