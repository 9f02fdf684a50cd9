import { MarketplaceStatusView } from '@shelfwatch/contracts';
import { InstanceHeartbeat } from '@shelfwatch/platform';

/**
 * How one component is doing: `down` for Postgres/NATS makes the platform unhealthy, `degraded` or `down` of
 * anything else degraded; `unknown` (nothing to judge yet, or its source did not answer) changes no verdict.
 */
export type ComponentStatus = 'up' | 'degraded' | 'down' | 'unknown';

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

/**
 * Unhealthy when a critical component is down; degraded when any component is degraded or down; healthy
 * otherwise (an `unknown` component is reported, not judged).
 */
export function overallStatus(components: readonly HealthComponent[]): OverallStatus {
  if (components.some((c) => CRITICAL.has(c.name) && c.status === 'down')) {
    return 'unhealthy';
  }
  return components.every((c) => c.status === 'up' || c.status === 'unknown') ? 'healthy' : 'degraded';
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

/** What crawl freshness is judged from. */
export interface CrawlFreshnessInput {
  /** The newest completed crawl (the crawler's runs, else the CRAWL stream); null when none ever completed. */
  lastCompletedAt: number | null;
  /** Keywords whose last completed crawl is older than twice their interval; null when the crawler did not say. */
  keywordsOverdue: number | null;
  now: number;
  /** `HEALTH_CRAWL_INTERVAL_MINUTES`: judges the age of the last crawl when the crawler cannot be asked. */
  intervalMs: number;
}

/**
 * Freshness of the crawls: degraded when keywords are overdue by more than twice their interval; unknown before
 * the first crawl ever completed; else up. When the crawler cannot say which keywords are overdue, the last
 * completed crawl older than twice the configured interval is degraded.
 */
export function crawlFreshness(input: CrawlFreshnessInput): Omit<HealthComponent, 'latencyMs'> {
  const name = 'crawl-freshness';
  const { lastCompletedAt, keywordsOverdue, now } = input;
  if (keywordsOverdue !== null && keywordsOverdue > 0) {
    return {
      name,
      status: 'degraded',
      message: `${keywordsOverdue} keywords not crawled successfully for over twice their interval`,
    };
  }
  if (lastCompletedAt === null) {
    return { name, status: 'unknown', message: 'no crawl completed yet' };
  }
  const ageMinutes = Math.round((now - lastCompletedAt) / 60_000);
  if (keywordsOverdue === null && now - lastCompletedAt > 2 * input.intervalMs) {
    return {
      name,
      status: 'degraded',
      message: `last crawl completed ${ageMinutes} min ago (over twice the interval)`,
    };
  }
  return { name, status: 'up', message: `last crawl completed ${ageMinutes} min ago` };
}

/** A marketplace as the crawler reports it (the subset health judges). */
export interface MarketplaceReport {
  id: string;
  name: string;
  status: Pick<MarketplaceStatusView, 'state' | 'breaker' | 'pausedUntil' | 'successRateLastHour' | 'lastError'>;
}

/**
 * One component per marketplace (`marketplace:<id>`): ok is up, degraded degraded, unhealthy down (a marketplace
 * is never critical: the platform stays ready), unknown unknown, saying why.
 */
export function marketplaceComponent(report: MarketplaceReport): Omit<HealthComponent, 'latencyMs'> {
  const { state, breaker, pausedUntil, successRateLastHour, lastError } = report.status;
  const name = `marketplace:${report.id}`;
  const reasons = [
    breaker === 'open' ? 'breaker open' : null,
    pausedUntil !== null ? `quota paused until ${pausedUntil}` : null,
    successRateLastHour !== null
      ? `${Math.round(successRateLastHour * 100)}% of the last hour's crawls completed`
      : null,
    lastError !== null && state !== 'ok' ? `last error ${lastError.code} at ${lastError.at}` : null,
  ].filter((reason) => reason !== null);
  switch (state) {
    case 'ok':
      return { name, status: 'up', message: reasons.join('; ') || `${report.name} ok` };
    case 'degraded':
      return { name, status: 'degraded', message: reasons.join('; ') };
    case 'unhealthy':
      return { name, status: 'down', message: `every crawl of the last 15 minutes failed; ${reasons.join('; ')}` };
    case 'unknown':
      return { name, status: 'unknown', message: 'no crawl of it finished yet' };
    default: {
      const unexpected: never = state;
      return { name, status: 'unknown', message: `unexpected state ${String(unexpected)}` };
    }
  }
}

/** The marketplace components when the crawler cannot be asked: unknown, saying why, never `up`. */
export function unknownMarketplaceComponents(
  ids: readonly string[],
  reason: string,
): Omit<HealthComponent, 'latencyMs'>[] {
  const names = ids.length > 0 ? ids.map((id) => `marketplace:${id}`) : ['marketplaces'];
  return names.map((name) => ({ name, status: 'unknown', message: `the crawler did not answer: ${reason}` }));
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
