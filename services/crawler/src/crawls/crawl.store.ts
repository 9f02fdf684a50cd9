import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CrawlerCrawlListInput, Page, decodeCursor, toPage } from '@shelfwatch/contracts';
import { executePrepared, keysetPage } from '@shelfwatch/persistence';
import { NEXT_CLAIM } from './crawl-claim.sql';

/** A keyword as the crawler schedules it. */
export interface ScheduledKeyword {
  keywordId: string;
  tenantId: string;
  marketplace: string;
  /** The site searched (eBay `EBAY_GB`, …); null for marketplaces without sites (and keywords older than sites). */
  site: string | null;
  text: string;
  intervalMinutes: number;
}

export interface KeywordRow {
  keyword_id: string;
  tenant_id: string;
  marketplace: string;
  site: string | null;
  text: string;
  interval_minutes: number;
}

export function toScheduledKeyword(row: KeywordRow): ScheduledKeyword {
  return {
    keywordId: row.keyword_id,
    tenantId: row.tenant_id,
    marketplace: row.marketplace,
    site: row.site,
    text: row.text,
    intervalMinutes: row.interval_minutes,
  };
}

export type CrawlStatus = 'requested' | 'running' | 'completed' | 'failed';
export type CrawlTrigger = 'schedule' | 'manual';

/** One crawl run as stored. */
export interface CrawlRun {
  crawlId: string;
  tenantId: string;
  keywordId: string;
  trigger: CrawlTrigger;
  status: CrawlStatus;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  pagesFetched: number | null;
  itemCount: number | null;
  failureCode: string | null;
  failureMessage: string | null;
  correlationId: string;
  traceparent: string | null;
  /** Attempts started so far (a retried crawl goes back to `requested` and is claimed again). */
  attempts: number;
  /** When a retried run may be claimed again; null unless it waits for a retry. */
  nextAttemptAt: Date | null;
}

/** A run just claimed: the run, the lease, attempts that reached the marketplace, and what its crawl needs. */
export interface ClaimedRun {
  run: CrawlRun;
  lease: CrawlLease;
  /** Attempts that reached the marketplace, this one included. */
  spentAttempts: number;
  /** Null when the keyword left the schedule after the crawl was requested. */
  keyword: ScheduledKeyword | null;
  /** Marketplace ids of the tenant's products tracked on the keyword (for stopping early once all are found). */
  tracked: string[];
}

/** This worker's hold on a claimed run: only the holder of the current token may renew, complete or fail it. */
export interface CrawlLease {
  owner: string;
  token: number;
}

interface RunRow {
  crawl_id: string;
  tenant_id: string;
  keyword_id: string;
  trigger: CrawlTrigger;
  status: CrawlStatus;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  pages_fetched: number | null;
  item_count: number | null;
  failure_code: string | null;
  failure_message: string | null;
  correlation_id: string;
  traceparent: string | null;
  attempts: number;
  refused_attempts: number;
  next_attempt_at: Date | null;
  lease_owner: string | null;
  lease_token: string;
}

function toRun(row: RunRow): CrawlRun {
  return {
    crawlId: row.crawl_id,
    tenantId: row.tenant_id,
    keywordId: row.keyword_id,
    trigger: row.trigger,
    status: row.status,
    requestedAt: new Date(row.requested_at),
    startedAt: row.started_at ? new Date(row.started_at) : null,
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    pagesFetched: row.pages_fetched,
    itemCount: row.item_count,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    correlationId: row.correlation_id,
    traceparent: row.traceparent,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
  };
}

/** The columns of `crawl_runs` a run is read with (named: a prepared statement's answer must not change shape). */
const RUN_COLUMNS = `crawl_id, tenant_id, keyword_id, trigger, status, requested_at, started_at, finished_at, pages_fetched,
  item_count, failure_code, failure_message, correlation_id, traceparent, attempts, refused_attempts, next_attempt_at,
  lease_owner, lease_token`;

/**
 * One statement ($1 lease in ms, $2 owner): the claim, the tenant's turn, and what the crawl needs (its keyword,
 * the tracked products' ids), so the tenant's turn row stays locked for one round trip and the commit. Prepared:
 * planning it cost 2 ms a claim, more than running it.
 */
const CLAIM_SQL = `with claimed as (
     update crawler.crawl_runs set status = 'running', started_at = coalesce(started_at, now()),
            lease_until = now() + $1::int * interval '1 millisecond', lease_owner = $2,
            lease_token = lease_token + 1, attempts = attempts + 1, next_attempt_at = null
      where crawl_id = ${NEXT_CLAIM}
      returning ${RUN_COLUMNS}
   ), turn as (
     insert into crawler.tenant_turns (tenant_id, last_claimed_at) select tenant_id, now() from claimed
     on conflict (tenant_id) do update set last_claimed_at = excluded.last_claimed_at
   )
   select c.*,
          (select row_to_json(k) from crawler.keywords k
            where k.keyword_id = c.keyword_id and k.tenant_id = c.tenant_id) as keyword,
          array(select p.external_id from crawler.keyword_products kp join crawler.products p using (product_id)
                 where kp.keyword_id = c.keyword_id) as tracked
     from claimed c`;

/** Ends a running run if it is still this token's; answers the run's id when it was. */
const FINISH_SQL = `update crawler.crawl_runs set status = $1, finished_at = $2, lease_until = null, pages_fetched = $3,
          item_count = $4, failure_code = $5, failure_message = $6, next_attempt_at = null
    where crawl_id = $7 and lease_token = $8 and status = 'running'
    returning crawl_id`;

/** The crawler's crawl runs: every statement takes the caller's entity manager (and so its transaction). */
@Injectable()
export class CrawlStore {
  /**
   * Records a requested crawl unless one of the keyword is already requested or running (the partial
   * unique index decides, so two replicas or two users racing get one run). Returns false when refused.
   */
  async insertRequested(
    em: EntityManager,
    run: Omit<
      CrawlRun,
      | 'status'
      | 'startedAt'
      | 'finishedAt'
      | 'pagesFetched'
      | 'itemCount'
      | 'failureCode'
      | 'failureMessage'
      | 'attempts'
      | 'nextAttemptAt'
    >,
  ): Promise<boolean> {
    const result = await em.execute<{ affectedRows: number }>(
      `insert into crawler.crawl_runs (crawl_id, tenant_id, keyword_id, trigger, status, requested_at, correlation_id, traceparent)
       values (?, ?, ?, ?, 'requested', ?, ?, ?) on conflict do nothing`,
      [run.crawlId, run.tenantId, run.keywordId, run.trigger, run.requestedAt, run.correlationId, run.traceparent],
      'run',
    );
    return result.affectedRows === 1;
  }

  /**
   * Claims the next run (see {@link NEXT_CLAIM}) for `owner`: a new fencing token, one more attempt and a
   * lease of `leaseMs` from the database's clock; the tenant's turn moves to the back of the round.
   */
  async claimNext(em: EntityManager, owner: string, leaseMs: number): Promise<ClaimedRun | null> {
    const rows = await executePrepared<RunRow & { keyword: KeywordRow | null; tracked: string[] }>(em, CLAIM_SQL, [
      leaseMs,
      owner,
    ]);
    const [row] = rows;
    if (!row) {
      return null;
    }
    const spentAttempts = row.attempts - row.refused_attempts;
    return {
      run: toRun(row),
      lease: { owner, token: Number(row.lease_token) },
      spentAttempts,
      keyword: row.keyword ? toScheduledKeyword(row.keyword) : null,
      tracked: row.tracked,
    };
  }

  /** Extends the lease from the database's clock; false when the run is no longer this token's. */
  async renewLease(em: EntityManager, crawlId: string, lease: CrawlLease, leaseMs: number): Promise<boolean> {
    const result = await em.execute<{ affectedRows: number }>(
      `update crawler.crawl_runs set lease_until = now() + ?::int * interval '1 millisecond'
        where crawl_id = ? and lease_token = ? and status = 'running'`,
      [leaseMs, crawlId, lease.token],
      'run',
    );
    return result.affectedRows === 1;
  }

  /** The database's clock (what leases and retry times are measured against). */
  async databaseNow(em: EntityManager): Promise<Date> {
    const [row] = await em.execute<{ now: Date }[]>('select now() as now');
    return row ? new Date(row.now) : new Date(NaN);
  }

  /**
   * Puts a failed attempt back to `requested`, claimable again from `nextAttemptAt`, keeping the attempt's
   * failure visible (and counting it as refused when the breaker refused it unsent); false when the run is
   * no longer this token's.
   */
  async requeue(
    em: EntityManager,
    crawlId: string,
    lease: CrawlLease,
    retry: { nextAttemptAt: Date; failureCode: string; failureMessage: string; refused: boolean },
  ): Promise<boolean> {
    const result = await em.execute<{ affectedRows: number }>(
      `update crawler.crawl_runs set status = 'requested', lease_until = null, lease_owner = null,
              next_attempt_at = ?, failure_code = ?, failure_message = ?, attempt_failed_at = now(),
              refused_attempts = refused_attempts + ?
        where crawl_id = ? and lease_token = ? and status = 'running'`,
      [retry.nextAttemptAt, retry.failureCode, retry.failureMessage, retry.refused ? 1 : 0, crawlId, lease.token],
      'run',
    );
    return result.affectedRows === 1;
  }

  /** Ends a running run; false if it is no longer this token's (another worker took it over). */
  async finish(
    em: EntityManager,
    crawlId: string,
    lease: CrawlLease,
    outcome: {
      status: 'completed' | 'failed';
      at: Date;
      pagesFetched: number;
      itemCount: number;
      failureCode?: string;
      failureMessage?: string;
    },
  ): Promise<boolean> {
    const owned = await executePrepared(em, FINISH_SQL, [
      outcome.status,
      outcome.at,
      outcome.pagesFetched,
      outcome.itemCount,
      outcome.failureCode ?? null,
      outcome.failureMessage ?? null,
      crawlId,
      lease.token,
    ]);
    return owned.length === 1;
  }

  async findRun(em: EntityManager, tenantId: string, crawlId: string): Promise<CrawlRun | null> {
    const [row] = await em.execute<RunRow[]>('select * from crawler.crawl_runs where crawl_id = ? and tenant_id = ?', [
      crawlId,
      tenantId,
    ]);
    return row ? toRun(row) : null;
  }

  /** One page of the tenant's runs, newest first; `total` is a COUNT over the same filter. */
  async listRuns(em: EntityManager, input: CrawlerCrawlListInput): Promise<Page<CrawlRun>> {
    const where = ['tenant_id = ?'];
    const params: unknown[] = [input.tenantId];
    if (input.status) {
      where.push('status = ?');
      params.push(input.status);
    }
    if (input.keywordId) {
      where.push('keyword_id = ?');
      params.push(input.keywordId);
    }
    const { rows, total } = await keysetPage<RunRow>(
      em,
      { columns: '*', from: 'crawler.crawl_runs', where: where.join(' and '), params, key: 'crawl_id', order: 'desc' },
      { limit: input.limit, after: decodeCursor(input.cursor), parallel: true },
    );
    const keyed = rows.map((row) => ({ id: row.crawl_id, row }));
    return toPage(keyed, input.limit, total, ({ row }) => toRun(row));
  }

  async findKeyword(em: EntityManager, tenantId: string, keywordId: string): Promise<ScheduledKeyword | null> {
    const [row] = await em.execute<KeywordRow[]>(
      'select * from crawler.keywords where keyword_id = ? and tenant_id = ?',
      [keywordId, tenantId],
    );
    return row ? toScheduledKeyword(row) : null;
  }
}
