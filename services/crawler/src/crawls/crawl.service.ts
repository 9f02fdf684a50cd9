import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { CrawlerCrawlListInput, EventOrigin, Page } from '@shelfwatch/contracts';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, OutboxWriter } from '@shelfwatch/messaging';
import { currentTraceContext } from '@shelfwatch/observability';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { CrawlError } from './crawl.errors';
import { CrawlRun, CrawlStore, CrawlTrigger, ScheduledKeyword } from './crawl.store';

/**
 * Requests crawls (on demand, and for `CrawlScheduler` on schedule) with their event, atomically, and reads the
 * tenant's runs.
 */
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

  /**
   * Requests a crawl of a keyword in the caller's transaction, for a manual request and for the scheduler
   * (`CrawlScheduler` in schedule/crawl.scheduler.ts) alike: inserts its run and appends its `crawl.requested` to the
   * outbox. Null, and nothing written, when the keyword already has an active run.
   */
  async request(em: EntityManager, keyword: ScheduledKeyword, trigger: CrawlTrigger): Promise<string | null> {
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
