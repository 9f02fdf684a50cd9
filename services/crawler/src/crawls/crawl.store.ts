import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CrawlerCrawlListInput, Page, decodeCursor, toPage } from '@shelfwatch/contracts';

/** A keyword as the crawler schedules it. */
export interface ScheduledKeyword {
  keywordId: string;
  tenantId: string;
  marketplace: string;
  text: string;
  intervalMinutes: number;
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
  };
}

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
      'status' | 'startedAt' | 'finishedAt' | 'pagesFetched' | 'itemCount' | 'failureCode' | 'failureMessage'
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

  /** Takes the oldest requested run (or one whose holder's lease expired) for this replica. */
  async claimNext(em: EntityManager, now: Date, leaseUntil: Date): Promise<CrawlRun | null> {
    const rows = await em.execute<RunRow[]>(
      `update crawler.crawl_runs set status = 'running', started_at = coalesce(started_at, ?), lease_until = ?
        where crawl_id = (
          select crawl_id from crawler.crawl_runs
           where status = 'requested' or (status = 'running' and lease_until < ?)
           order by requested_at limit 1 for update skip locked)
        returning *`,
      [now, leaseUntil, now],
    );
    const [row] = rows;
    return row ? toRun(row) : null;
  }

  async extendLease(em: EntityManager, crawlId: string, leaseUntil: Date): Promise<void> {
    await em.execute(
      `update crawler.crawl_runs set lease_until = ? where crawl_id = ? and status = 'running'`,
      [leaseUntil, crawlId],
      'run',
    );
  }

  /** Ends a running run; false if it was no longer running (another replica took it over). */
  async finish(
    em: EntityManager,
    crawlId: string,
    outcome: {
      status: 'completed' | 'failed';
      at: Date;
      pagesFetched: number;
      itemCount: number;
      failureCode?: string;
      failureMessage?: string;
    },
  ): Promise<boolean> {
    const result = await em.execute<{ affectedRows: number }>(
      `update crawler.crawl_runs set status = ?, finished_at = ?, lease_until = null, pages_fetched = ?, item_count = ?,
              failure_code = ?, failure_message = ?
        where crawl_id = ? and status = 'running'`,
      [
        outcome.status,
        outcome.at,
        outcome.pagesFetched,
        outcome.itemCount,
        outcome.failureCode ?? null,
        outcome.failureMessage ?? null,
        crawlId,
      ],
      'run',
    );
    return result.affectedRows === 1;
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
    const filter = where.join(' and ');
    const before = decodeCursor(input.cursor);
    const [rows, counted] = await Promise.all([
      em.execute<RunRow[]>(
        `select * from crawler.crawl_runs where ${filter} ${before ? 'and crawl_id < ?' : ''}
          order by crawl_id desc limit ?`,
        [...params, ...(before ? [before] : []), input.limit + 1],
      ),
      em.execute<{ total: string }[]>(`select count(*) as total from crawler.crawl_runs where ${filter}`, params),
    ]);
    const keyed = rows.map((row) => ({ id: row.crawl_id, row }));
    return toPage(keyed, input.limit, Number(counted[0]?.total ?? 0), ({ row }) => toRun(row));
  }

  async findKeyword(em: EntityManager, tenantId: string, keywordId: string): Promise<ScheduledKeyword | null> {
    const [row] = await em.execute<
      { keyword_id: string; tenant_id: string; marketplace: string; text: string; interval_minutes: number }[]
    >('select * from crawler.keywords where keyword_id = ? and tenant_id = ?', [keywordId, tenantId]);
    return row
      ? {
          keywordId: row.keyword_id,
          tenantId: row.tenant_id,
          marketplace: row.marketplace,
          text: row.text,
          intervalMinutes: row.interval_minutes,
        }
      : null;
  }

  /** Marketplace ids of the tenant's products tracked on a keyword (for stopping early once all are found). */
  async trackedExternalIds(em: EntityManager, keywordId: string): Promise<string[]> {
    const rows = await em.execute<{ external_id: string }[]>(
      `select p.external_id from crawler.keyword_products kp join crawler.products p using (product_id) where kp.keyword_id = ?`,
      [keywordId],
    );
    return rows.map((row) => row.external_id);
  }

  /** Keywords due at `now`, locked for this transaction so replicas schedule disjoint sets. */
  async lockDue(em: EntityManager, now: Date, limit: number): Promise<(ScheduledKeyword & { dueAt: Date })[]> {
    const rows = await em.execute<
      {
        keyword_id: string;
        tenant_id: string;
        marketplace: string;
        text: string;
        interval_minutes: number;
        next_due_at: Date;
      }[]
    >(
      // A paused keyword is never crawled on schedule (a manual crawl of it still is).
      `select * from crawler.keywords where next_due_at <= ? and not paused
        order by next_due_at limit ? for update skip locked`,
      [now, limit],
    );
    return rows.map((row) => ({
      keywordId: row.keyword_id,
      tenantId: row.tenant_id,
      marketplace: row.marketplace,
      text: row.text,
      intervalMinutes: row.interval_minutes,
      dueAt: new Date(row.next_due_at),
    }));
  }

  async setNextDue(em: EntityManager, keywordId: string, at: Date): Promise<void> {
    await em.execute('update crawler.keywords set next_due_at = ? where keyword_id = ?', [at, keywordId], 'run');
  }
}
