import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { MarketplaceBreakerState } from '@shelfwatch/contracts';

/** Crawl runs of one marketplace, counted by when they finished. */
export interface MarketplaceCrawlCounts {
  finishedLastHour: number;
  completedLastHour: number;
  finishedLast15Minutes: number;
  completedLast15Minutes: number;
}

/** The newest failed crawl of a marketplace. */
export interface MarketplaceLastError {
  code: string;
  message: string;
  at: Date;
}

/** A marketplace's newest finished crawl and newest completed one. */
export interface MarketplaceLastCrawls {
  lastFinishedAt: Date | null;
  lastCompletedAt: Date | null;
}

const HOUR_MS = 3_600_000;
const QUARTER_MS = 15 * 60_000;

/** Failures that say nothing about the marketplace (the crawl was not its to fail): left out of the counts. */
export const NOT_MARKETPLACE_FAILURES = ['keyword_removed', 'cancelled', 'tenant_quota_exhausted'] as const;
const COUNTED = `(coalesce(r.failure_code, '') not in (${NOT_MARKETPLACE_FAILURES.map((code) => `'${code}'`).join(', ')}))`;

/** `and r.tenant_id = ?` when a tenant is given: its own runs or keywords only. */
function ofTenant(alias: 'r' | 'k', tenantId: string | undefined): { sql: string; params: string[] } {
  return tenantId === undefined ? { sql: '', params: [] } : { sql: `and ${alias}.tenant_id = ?`, params: [tenantId] };
}

// Runs carry no marketplace: their keyword's row says it. Runs of removed keywords (rows deleted) drop out.
const RUNS_OF_MARKETPLACE = `crawler.crawl_runs r join crawler.keywords k on k.keyword_id = r.keyword_id`;

/**
 * What marketplace status reads from the crawler's crawl runs and schedule (read-only), and the replicas' breakers
 * in `crawler.marketplace_breakers`; every statement takes the caller's entity manager.
 */
@Injectable()
export class MarketplaceStatusStore {
  /** Crawls finished in the hour before `now` (and the 15 minutes before it), by marketplace. */
  async crawlCounts(em: EntityManager, now: Date): Promise<Map<string, MarketplaceCrawlCounts>> {
    const rows = await em.execute<
      { marketplace: string; finished: string; completed: string; finished15: string; completed15: string }[]
    >(
      `select k.marketplace,
              count(*) as finished,
              count(*) filter (where r.status = 'completed') as completed,
              count(*) filter (where r.finished_at > ?) as finished15,
              count(*) filter (where r.finished_at > ? and r.status = 'completed') as completed15
         from ${RUNS_OF_MARKETPLACE}
        where r.status in ('completed', 'failed') and r.finished_at > ? and r.finished_at <= ? and ${COUNTED}
        group by k.marketplace`,
      [
        new Date(now.getTime() - QUARTER_MS),
        new Date(now.getTime() - QUARTER_MS),
        new Date(now.getTime() - HOUR_MS),
        now,
      ],
    );
    return new Map(
      rows.map((row) => [
        row.marketplace,
        {
          finishedLastHour: Number(row.finished),
          completedLastHour: Number(row.completed),
          finishedLast15Minutes: Number(row.finished15),
          completedLast15Minutes: Number(row.completed15),
        },
      ]),
    );
  }

  /**
   * The marketplace's newest failure, whenever it was: a crawl that failed for good, or an attempt of one waiting
   * to be retried (so an outage shows while its crawls are retried); only the tenant's own when `tenantId` is given.
   */
  async lastError(em: EntityManager, marketplace: string, tenantId?: string): Promise<MarketplaceLastError | null> {
    const tenant = ofTenant('r', tenantId);
    const newest = (where: string, at: string) =>
      `(select r.failure_code, r.failure_message, ${at} as failed_at from ${RUNS_OF_MARKETPLACE}
         where ${where} and k.marketplace = ? ${tenant.sql} order by ${at} desc limit 1)`;
    const [row] = await em.execute<{ failure_code: string | null; failure_message: string | null; failed_at: Date }[]>(
      `${newest(`r.status = 'failed'`, 'r.finished_at')}
       union all
       ${newest(`r.status in ('requested', 'running') and r.attempt_failed_at is not null`, 'r.attempt_failed_at')}
       order by failed_at desc limit 1`,
      [marketplace, ...tenant.params, marketplace, ...tenant.params],
    );
    return row
      ? {
          code: row.failure_code ?? 'upstream_error',
          message: row.failure_message ?? '',
          at: new Date(row.failed_at),
        }
      : null;
  }

  /** When the marketplace's newest crawl finished, and its newest completed one. */
  async lastCrawls(em: EntityManager, marketplace: string): Promise<MarketplaceLastCrawls> {
    const newest = (statuses: string) =>
      em.execute<{ finished_at: Date }[]>(
        `select r.finished_at from ${RUNS_OF_MARKETPLACE}
          where r.status in (${statuses}) and k.marketplace = ? order by r.finished_at desc limit 1`,
        [marketplace],
      );
    const [finished] = await newest(`'completed', 'failed'`);
    const [completed] = await newest(`'completed'`);
    return {
      lastFinishedAt: finished ? new Date(finished.finished_at) : null,
      lastCompletedAt: completed ? new Date(completed.finished_at) : null,
    };
  }

  /**
   * Scheduled keywords (paused ones are not due), by marketplace, whose last completed crawl (or their creation, when never crawled) is
   * older than twice their interval at `now`; only the tenant's own when `tenantId` is given.
   */
  async keywordsOverdue(em: EntityManager, now: Date, tenantId?: string): Promise<Map<string, number>> {
    const tenant = ofTenant('k', tenantId);
    const rows = await em.execute<{ marketplace: string; overdue: string }[]>(
      `select k.marketplace, count(*) as overdue
         from crawler.keywords k
        where not k.paused
          and coalesce(
                (select max(r.finished_at) from crawler.crawl_runs r
                  where r.keyword_id = k.keyword_id and r.status = 'completed'),
                k.created_at
              ) < ?::timestamptz - make_interval(mins => 2 * k.interval_minutes) ${tenant.sql}
        group by k.marketplace`,
      [now, ...tenant.params],
    );
    return new Map(rows.map((row) => [row.marketplace, Number(row.overdue)]));
  }

  /**
   * Records this replica's breaker of a marketplace, seen now by the database's clock.
   * SQL: one upsert stamped with the database's `now()`, so replicas' clocks never disagree.
   */
  async recordBreaker(
    em: EntityManager,
    marketplace: string,
    instanceId: string,
    state: MarketplaceBreakerState,
  ): Promise<void> {
    await em.execute(
      `insert into crawler.marketplace_breakers (marketplace, instance_id, state, seen_at) values (?, ?, ?, now())
         on conflict (marketplace, instance_id) do update set state = excluded.state, seen_at = excluded.seen_at`,
      [marketplace, instanceId, state],
    );
  }

  /**
   * Whether any replica seen within the last `liveForSeconds` has the marketplace's breaker open.
   * SQL: one `exists` against the database's `now()`, so replicas' clocks never disagree.
   */
  async anyBreakerOpen(em: EntityManager, marketplace: string, liveForSeconds: number): Promise<boolean> {
    const [row] = await em.execute<{ open: boolean }[]>(
      `select exists (select 1 from crawler.marketplace_breakers
                       where marketplace = ? and state = 'open' and seen_at > now() - make_interval(secs => ?)) as open`,
      [marketplace, liveForSeconds],
    );
    return row?.open ?? false;
  }

  /**
   * Forgets a stopped replica's breakers.
   * SQL: one set-based delete of the replica's rows, in one round trip.
   */
  async forgetBreakers(em: EntityManager, instanceId: string): Promise<void> {
    await em.execute('delete from crawler.marketplace_breakers where instance_id = ?', [instanceId]);
  }

  /**
   * Removes breaker rows not refreshed for a day (replicas long gone).
   * SQL: one set-based delete against the database's `now()`.
   */
  async pruneBreakers(em: EntityManager): Promise<void> {
    await em.execute(`delete from crawler.marketplace_breakers where seen_at < now() - interval '1 day'`);
  }
}
