import { InstanceHeartbeat } from '@shelfwatch/platform';

/** How one component is doing: `down` for Postgres/NATS makes the platform unhealthy, anything else degraded. */
export type ComponentStatus = 'up' | 'degraded' | 'down';

/** One line of the detailed view. */
export interface HealthComponent {
  name: string;
  status: ComponentStatus;
  latencyMs: number;
  message: string | null;
}

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

/** Components whose failure means the platform cannot work at all. */
const CRITICAL = new Set(['postgres', 'nats', 'jetstream']);

/** Unhealthy when a critical component is down; degraded when any component is not up; healthy otherwise. */
export function overallStatus(components: readonly HealthComponent[]): OverallStatus {
  if (components.some((c) => CRITICAL.has(c.name) && c.status === 'down')) {
    return 'unhealthy';
  }
  return components.every((c) => c.status === 'up') ? 'healthy' : 'degraded';
}

/** The latest heartbeat of an instance and when it arrived. */
export interface SeenInstance {
  heartbeat: InstanceHeartbeat;
  receivedAt: number;
}

/** Whether an instance still counts as running at `now`: it did not say goodbye and is not overdue. */
export function isAlive(instance: SeenInstance, now: number, expiryMs: (intervalMs: number) => number): boolean {
  return !instance.heartbeat.stopping && now - instance.receivedAt <= expiryMs(instance.heartbeat.intervalMs);
}

/** A service is up with at least one ready live instance; otherwise degraded, saying why. */
export function serviceComponent(service: string, alive: readonly SeenInstance[]): Omit<HealthComponent, 'latencyMs'> {
  const name = `service:${service}`;
  const ready = alive.filter((instance) => instance.heartbeat.ready);
  if (ready.length > 0) {
    const versions = [...new Set(ready.map((instance) => instance.heartbeat.version))].join(', ');
    return { name, status: 'up', message: `${ready.length} of ${alive.length} instances ready (version ${versions})` };
  }
  if (alive.length === 0) {
    return { name, status: 'degraded', message: `${service} has no running instance` };
  }
  const problems = [...new Set(alive.flatMap((instance) => instance.heartbeat.problems))].join('; ');
  return { name, status: 'degraded', message: `${service} has no ready instance: ${problems}` };
}

/** Freshness of the last successful crawl: degraded when older than twice the interval. */
export function crawlFreshness(
  lastCompletedAt: number | null,
  now: number,
  intervalMs: number,
): Omit<HealthComponent, 'latencyMs'> {
  const name = 'crawl-freshness';
  if (lastCompletedAt === null) {
    return { name, status: 'up', message: 'no crawl completed yet' };
  }
  const ageMinutes = Math.round((now - lastCompletedAt) / 60_000);
  if (now - lastCompletedAt > 2 * intervalMs) {
    return {
      name,
      status: 'degraded',
      message: `last crawl completed ${ageMinutes} min ago (over twice the interval)`,
    };
  }
  return { name, status: 'up', message: `last crawl completed ${ageMinutes} min ago` };
}

/**
 * The crawl scheduler runs inside every crawler instance: it runs when a crawler is ready, and it is
 * stalled when crawls used to be requested but none was for twice the interval.
 */
export function schedulerComponent(
  crawlerReady: boolean,
  lastRequestedAt: number | null,
  now: number,
  intervalMs: number,
): Omit<HealthComponent, 'latencyMs'> {
  const name = 'crawl-scheduler';
  if (!crawlerReady) {
    return { name, status: 'degraded', message: 'no ready crawler instance runs the scheduler' };
  }
  if (lastRequestedAt !== null && now - lastRequestedAt > 2 * intervalMs) {
    return { name, status: 'degraded', message: 'no crawl requested for over twice the interval' };
  }
  return { name, status: 'up', message: 'running in the ready crawler instances' };
}
