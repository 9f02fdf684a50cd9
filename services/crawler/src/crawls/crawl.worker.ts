import { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { SpanStatusCode, context } from '@opentelemetry/api';
import { EventOrigin } from '@shelfwatch/contracts';
import { CLOCK, Clock, OutboxWriter } from '@shelfwatch/messaging';
import { contextFromTraceparent, getTracer } from '@shelfwatch/observability';
import { leaseUntil } from './crawl.policy';
import { CrawlRun, CrawlStore } from './crawl.store';
import { CrawledShelf, KEYWORD_CRAWLER, KeywordCrawler, crawlFailure } from './keyword-crawler.port';
import { splitResults } from './result-parts';
import { recordCrawl } from '../marketplaces/status/marketplace.metrics';

/** Limits of one crawl. */
export interface CrawlLimits {
  /** The whole crawl (every page) is aborted after this. */
  crawlTimeoutMs: number;
  /** A claimed crawl's lease; renewed at a third of it while the crawl runs. */
  leaseMs: number;
}

export const CRAWL_LIMITS = Symbol('CRAWL_LIMITS');

/**
 * Runs claimed crawls:
 * 1. claim the oldest requested run (or an expired lease) and publish `crawl.started`, in one transaction;
 * 2. crawl the marketplace outside any transaction, renewing the lease, within the crawl timeout;
 * 3. record the outcome and publish `crawl.completed` with the items, or `crawl.failed` with a reason
 *    (a failed crawl never carries items), in one transaction.
 * The crawl runs inside the trace of the request that asked for it.
 */
@Injectable()
export class CrawlWorker {
  constructor(
    private readonly orm: MikroORM,
    private readonly store: CrawlStore,
    private readonly outbox: OutboxWriter,
    @Inject(KEYWORD_CRAWLER) private readonly crawler: KeywordCrawler,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CRAWL_LIMITS) private readonly limits: CrawlLimits,
  ) {}

  /** Runs the next claimable crawl; false when there was none. */
  async runNext(): Promise<boolean> {
    const claimed = await this.claim();
    if (!claimed) {
      return false;
    }
    const { run, keyword, tracked } = claimed;
    await context.with(contextFromTraceparent(run.traceparent), () =>
      getTracer().startActiveSpan(`crawl ${keyword?.marketplace ?? 'keyword'}`, async (span) => {
        span.setAttributes({ 'shelfwatch.crawl_id': run.crawlId, 'shelfwatch.keyword_id': run.keywordId });
        const started = performance.now();
        let outcome = 'completed';
        try {
          if (!keyword) {
            // Removed from the schedule after the crawl was requested: nothing to crawl for.
            throw Object.assign(new Error('keyword no longer scheduled'), { code: 'keyword_removed' });
          }
          const shelf = await this.crawlWithLease(run, keyword.marketplace, keyword.text, tracked);
          await this.complete(run, keyword, shelf);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          outcome = crawlFailure(error).code;
          await this.fail(run, error);
        } finally {
          recordCrawl(keyword?.marketplace ?? 'unknown', outcome, (performance.now() - started) / 1_000);
          span.end();
        }
      }),
    );
    return true;
  }

  private async claim() {
    return this.orm.em.fork().transactional(async (em) => {
      const now = this.clock.now();
      const run = await this.store.claimNext(em, now, leaseUntil(now, this.limits.leaseMs));
      if (!run) {
        return null;
      }
      const keyword = await this.store.findKeyword(em, run.tenantId, run.keywordId);
      const tracked = await this.store.trackedExternalIds(em, run.keywordId);
      await this.outbox.append(em, {
        type: 'crawl.started',
        data: { crawlId: run.crawlId, keywordId: run.keywordId, startedAt: now.toISOString() },
        origin: this.origin(run),
        aggregateKey: run.keywordId,
      });
      return { run, keyword, tracked };
    });
  }

  private async crawlWithLease(
    run: CrawlRun,
    marketplace: string,
    keyword: string,
    tracked: string[],
  ): Promise<CrawledShelf> {
    const signal = AbortSignal.timeout(this.limits.crawlTimeoutMs);
    const renew = setInterval(
      () => {
        void this.store
          .extendLease(this.orm.em.fork(), run.crawlId, leaseUntil(this.clock.now(), this.limits.leaseMs))
          .catch(() => undefined);
      },
      Math.max(1_000, this.limits.leaseMs / 3),
    );
    try {
      return await this.crawler.crawl({
        tenantId: run.tenantId,
        marketplace,
        keyword,
        trackedExternalIds: tracked,
        signal,
      });
    } finally {
      clearInterval(renew);
    }
  }

  private async complete(
    run: CrawlRun,
    keyword: { marketplace: string; text: string },
    shelf: CrawledShelf,
  ): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const at = this.clock.now();
      const owned = await this.store.finish(em, run.crawlId, {
        status: 'completed',
        at,
        pagesFetched: shelf.pagesFetched,
        itemCount: shelf.items.length,
      });
      if (!owned) {
        return; // another replica took the run over after our lease expired; its outcome stands
      }
      const parts = splitResults(shelf.items);
      await this.outbox.appendMany(
        em,
        parts.map((items, index) => ({
          type: 'crawl.completed' as const,
          data: {
            crawlId: run.crawlId,
            keywordId: run.keywordId,
            keyword: keyword.text,
            marketplace: keyword.marketplace,
            completedAt: at.toISOString(),
            pagesFetched: shelf.pagesFetched,
            part: index + 1,
            parts: parts.length,
            items,
          },
          origin: this.origin(run),
          aggregateKey: run.keywordId,
        })),
      );
    });
  }

  private async fail(run: CrawlRun, error: unknown): Promise<void> {
    const failure = crawlFailure(error);
    await this.orm.em.fork().transactional(async (em) => {
      const at = this.clock.now();
      const owned = await this.store.finish(em, run.crawlId, {
        status: 'failed',
        at,
        pagesFetched: 0,
        itemCount: 0,
        failureCode: failure.code,
        failureMessage: failure.message,
      });
      if (!owned) {
        return;
      }
      await this.outbox.append(em, {
        type: 'crawl.failed',
        data: { crawlId: run.crawlId, keywordId: run.keywordId, failedAt: at.toISOString(), ...failure },
        origin: this.origin(run),
        aggregateKey: run.keywordId,
      });
    });
  }

  private origin(run: CrawlRun): EventOrigin {
    return { tenantId: run.tenantId, correlationId: run.correlationId, causationId: null };
  }
}
