import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CrawlerCrawlListInput, EventOrigin, Page } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, OutboxWriter } from '@shelfwatch/messaging';
import { currentTraceContext, getTracer } from '@shelfwatch/observability';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { CrawlError } from './crawl.errors';
import { catchUpDueAt, nextDueAt } from './crawl.policy';

/** After downtime, keywords that missed whole intervals are spread over this window rather than crawled at once. */
const CATCH_UP_SPREAD_MS = 10 * 60_000;
import { CrawlRun, CrawlStore, CrawlTrigger, ScheduledKeyword } from './crawl.store';

/** Requests crawls (on demand and on schedule) and records their outcome, each with its event, atomically. */
@Injectable()
export class CrawlService {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: CrawlStore,
    private readonly outbox: OutboxWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** On-demand crawl. Throws `not_found` for another tenant's or an unknown keyword, `already_running` when one is active. */
  async requestManual(tenantId: string, keywordId: string): Promise<{ crawlId: string }> {
    return inTransaction(this.orm, async (em) => {
      const keyword = await this.store.findKeyword(em, tenantId, keywordId);
      if (!keyword) {
        throw CrawlError.notFound('keyword', keywordId);
      }
      const crawlId = await this.request(em, keyword, 'manual');
      if (!crawlId) {
        throw CrawlError.alreadyRunning(keywordId);
      }
      return { crawlId };
    });
  }

  /**
   * Requests a crawl for every due keyword (replicas lock disjoint sets) and moves each due time on. Each
   * scheduled crawl starts a trace of its own: its request, run, results and what they cause all belong to it.
   */
  async scheduleDue(limit = 100): Promise<number> {
    return inTransaction(this.orm, async (em) => {
      const now = this.clock.now();
      const due = await this.store.lockDue(em, now, limit);
      let requested = 0;
      for (const keyword of due) {
        const later = catchUpDueAt(now, keyword.dueAt, keyword.intervalMinutes, CATCH_UP_SPREAD_MS, Math.random);
        if (later) {
          await this.store.setNextDue(em, keyword.keywordId, later);
          continue;
        }
        // A keyword still being crawled is simply skipped this round.
        requested += (await this.inNewTrace(keyword, () => this.request(em, keyword, 'schedule'))) ? 1 : 0;
        await this.store.setNextDue(em, keyword.keywordId, nextDueAt(now, keyword.intervalMinutes, Math.random));
      }
      return requested;
    });
  }

  async find(tenantId: string, crawlId: string): Promise<CrawlRun> {
    const run = await this.store.findRun(freshEm(this.orm), tenantId, crawlId);
    if (!run) {
      throw CrawlError.notFound('crawl', crawlId);
    }
    return run;
  }

  /** The tenant's runs, newest first (ids are UUIDv7), with the matching count from the database. */
  list(input: CrawlerCrawlListInput): Promise<Page<CrawlRun>> {
    return this.store.listRuns(freshEm(this.orm), input);
  }

  /** Runs `work` in a new root span, the start of a scheduled crawl's trace. */
  private inNewTrace<T>(keyword: ScheduledKeyword, work: () => Promise<T>): Promise<T> {
    const attributes = { 'shelfwatch.keyword_id': keyword.keywordId, 'shelfwatch.tenant_id': keyword.tenantId };
    return getTracer().startActiveSpan(`schedule crawl ${keyword.marketplace}`, { root: true, attributes }, (span) =>
      work().finally(() => span.end()),
    );
  }

  private async request(em: EntityManager, keyword: ScheduledKeyword, trigger: CrawlTrigger): Promise<string | null> {
    const crawlId = this.ids.next();
    const correlationId = this.ids.next();
    const inserted = await this.store.insertRequested(em, {
      crawlId,
      tenantId: keyword.tenantId,
      keywordId: keyword.keywordId,
      trigger,
      requestedAt: this.clock.now(),
      correlationId,
      // `crawl_runs` keeps the traceparent only: every crawl's trace starts inside ShelfWatch (a client's
      // context is a link, not a parent), and ShelfWatch's own spans carry no tracestate.
      traceparent: currentTraceContext()?.traceparent ?? null,
    });
    if (!inserted) {
      return null;
    }
    const origin: EventOrigin = { tenantId: keyword.tenantId, correlationId, causationId: null };
    await this.outbox.append(em, {
      type: 'crawl.requested',
      data: {
        crawlId,
        keywordId: keyword.keywordId,
        keyword: keyword.text,
        marketplace: keyword.marketplace,
        site: keyword.site,
        trigger,
      },
      origin,
      aggregateKey: keyword.keywordId,
    });
    return crawlId;
  }
}
