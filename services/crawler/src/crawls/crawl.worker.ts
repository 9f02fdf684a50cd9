import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Span, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { EventOrigin } from '@shelfwatch/contracts';
import { CLOCK, Clock, OutboxWriter } from '@shelfwatch/messaging';
import { contextFromTraceparent, getTracer } from '@shelfwatch/observability';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { RetryDecision, RetryPolicy, failureNotBefore, refusedUnsent, retryDecision } from './crawl-retry.policy';
import { ClaimedRun, CrawlRun, CrawlStore, ScheduledKeyword } from './crawl.store';
import { CrawlFailureCode, CrawledShelf, KEYWORD_CRAWLER, KeywordCrawler, crawlFailure } from './keyword-crawler.port';
import { splitResults } from './result-parts';
import { recordCrawl } from '../marketplaces/status/marketplace.metrics';

/** Limits of one crawl. */
export interface CrawlLimits {
  /** The whole crawl (every page) is aborted after this. */
  crawlTimeoutMs: number;
  /** A claimed crawl's lease; renewed at a third of it while the crawl runs. */
  leaseMs: number;
  /** Back-off and attempts of retried crawls. */
  retry: RetryPolicy;
}

export const CRAWL_LIMITS = Symbol('CRAWL_LIMITS');
/** Who holds the leases this worker takes: the instance id of this process. */
export const LEASE_OWNER = Symbol('LEASE_OWNER');

/** A claimed run (the run, this worker's lease on it, and what the crawl needs) and its span. */
interface Claimed extends ClaimedRun {
  /** The crawl's span, in the trace of the request that asked for it; ended by {@link CrawlWorker.runNext}. */
  span: Span;
}

/**
 * Runs claimed crawls:
 * 1. claim the next run (manual first, then scheduled round-robin across tenants; see `CrawlStore.claimNext`)
 *    with a new fencing token, and publish `crawl.started`, in one transaction;
 * 2. crawl the marketplace outside any transaction, renewing the lease with the token, within the crawl
 *    timeout; a renewal that fails or finds the run taken over aborts the crawl (`lease_lost`);
 * 3. with the token, record the outcome and publish `crawl.completed` with the items, or `crawl.failed`
 *    (a failed crawl never carries items): a retryable failure puts the run back to `requested` for a later
 *    attempt, anything else fails it for good; in one transaction.
 * The crawl runs inside the trace of the request that asked for it (the request's span stored with the run):
 * its span starts at the claim, so that `crawl.started`, the page fetches and the outcome's events all belong to it.
 */
@Injectable()
export class CrawlWorker {
  private readonly logger: Logger;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: CrawlStore,
    private readonly outbox: OutboxWriter,
    @Inject(KEYWORD_CRAWLER) private readonly crawler: KeywordCrawler,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CRAWL_LIMITS) private readonly limits: CrawlLimits,
    @Inject(LEASE_OWNER) private readonly owner: string,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: CrawlWorker.name });
  }

  /** Runs the next claimable crawl; false when there was none. */
  async runNext(): Promise<boolean> {
    const claimed = await this.claim();
    if (!claimed) {
      return false;
    }
    const { keyword, span } = claimed;
    await context.with(trace.setSpan(context.active(), span), async () => {
      const started = performance.now();
      let outcome = 'completed';
      try {
        if (!keyword) {
          // Removed from the schedule after the crawl was requested: nothing to crawl for.
          throw Object.assign(new Error('keyword no longer scheduled'), { code: 'keyword_removed' });
        }
        const shelf = await this.crawlWithLease(claimed, keyword);
        await this.complete(claimed, keyword, shelf);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        outcome = crawlFailure(error).code;
        await this.fail(claimed, error);
      } finally {
        recordCrawl(keyword?.marketplace ?? 'unknown', outcome, (performance.now() - started) / 1_000);
        span.end();
      }
    });
    return true;
  }

  /** Claims the next run and publishes `crawl.started` in the crawl's span, which it starts (ended on a failed claim). */
  private async claim(): Promise<Claimed | null> {
    let span: Span | undefined;
    try {
      return await inTransaction(this.orm, async (em) => {
        const claimed = await this.store.claimNext(em, this.owner, this.limits.leaseMs);
        if (!claimed) {
          return null;
        }
        const { run, keyword } = claimed;
        const crawlSpan = this.startCrawlSpan(run, keyword);
        span = crawlSpan;
        await context.with(trace.setSpan(context.active(), crawlSpan), () =>
          this.outbox.append(em, {
            type: 'crawl.started',
            data: { crawlId: run.crawlId, keywordId: run.keywordId, startedAt: this.clock.now().toISOString() },
            origin: this.origin(run),
            aggregateKey: run.keywordId,
          }),
        );
        return { ...claimed, span: crawlSpan };
      });
    } catch (error) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      span?.end();
      throw error;
    }
  }

  /** The crawl's span, a child of the span that requested the run (a new trace if none was stored). */
  private startCrawlSpan(run: CrawlRun, keyword: ScheduledKeyword | null): Span {
    return getTracer().startSpan(
      `crawl ${keyword?.marketplace ?? 'keyword'}`,
      { attributes: { 'shelfwatch.crawl_id': run.crawlId, 'shelfwatch.keyword_id': run.keywordId } },
      contextFromTraceparent(run.traceparent),
    );
  }

  /** The crawl, aborted by its timeout or by a lost lease (then it throws a `lease_lost` failure). */
  private async crawlWithLease({ run, lease, tracked }: Claimed, keyword: ScheduledKeyword): Promise<CrawledShelf> {
    const leaseLost = new AbortController();
    const signal = AbortSignal.any([AbortSignal.timeout(this.limits.crawlTimeoutMs), leaseLost.signal]);
    const lost = (why: string): void => {
      if (!leaseLost.signal.aborted) {
        leaseLost.abort(Object.assign(new Error(`lease of crawl ${run.crawlId} lost: ${why}`), { code: 'lease_lost' }));
      }
    };
    const renew = setInterval(
      () => {
        void this.store.renewLease(freshEm(this.orm), run.crawlId, lease, this.limits.leaseMs).then(
          (held) => (held ? undefined : lost('taken over')),
          (error: unknown) => lost(`renewal failed: ${String(error)}`),
        );
      },
      Math.max(100, this.limits.leaseMs / 3),
    );
    try {
      return await this.crawler.crawl({
        tenantId: run.tenantId,
        marketplace: keyword.marketplace,
        site: keyword.site,
        keyword: keyword.text,
        trackedExternalIds: tracked,
        signal,
      });
    } catch (error) {
      throw leaseLost.signal.aborted ? (leaseLost.signal.reason as Error) : error;
    } finally {
      clearInterval(renew);
    }
  }

  private async complete({ run, lease }: Claimed, keyword: ScheduledKeyword, shelf: CrawledShelf): Promise<void> {
    await inTransaction(this.orm, async (em) => {
      const at = this.clock.now();
      const owned = await this.store.finish(em, run.crawlId, lease, {
        status: 'completed',
        at,
        pagesFetched: shelf.pagesFetched,
        itemCount: shelf.items.length,
      });
      if (!owned) {
        this.logger.warn({ crawlId: run.crawlId, token: lease.token }, 'crawl taken over; its result is dropped');
        return;
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
            site: keyword.site,
            orderFidelity: shelf.orderFidelity,
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

  /** Records a failed attempt: retried later, or failed for good; a worker that lost its lease writes nothing. */
  private async fail(claimed: Claimed, error: unknown): Promise<void> {
    const { run, lease } = claimed;
    const failure = crawlFailure(error);
    if (failure.code === 'lease_lost') {
      this.logger.warn({ crawlId: run.crawlId, token: lease.token }, failure.message);
      return;
    }
    await inTransaction(this.orm, async (em) => {
      const at = this.clock.now();
      const refused = refusedUnsent(failure.code);
      const decision = this.decide(claimed, failure.code, refused, error, await this.store.databaseNow(em));
      const retryAt = decision.retry ? decision.nextAttemptAt : null;
      const owned = await this.record(em, claimed, retryAt, { ...failure, refused }, at);
      if (!owned) {
        return;
      }
      await this.outbox.append(em, {
        type: 'crawl.failed',
        data: {
          crawlId: run.crawlId,
          keywordId: run.keywordId,
          failedAt: at.toISOString(),
          ...failure,
          attempt: run.attempts,
          willRetry: decision.retry,
          nextAttemptAt: decision.retry ? decision.nextAttemptAt.toISOString() : null,
        },
        origin: this.origin(run),
        aggregateKey: run.keywordId,
      });
    });
  }

  /** Whether and when the failed attempt is retried, by the database's clock. */
  private decide(
    { run, keyword, spentAttempts }: Claimed,
    code: CrawlFailureCode,
    refused: boolean,
    error: unknown,
    now: Date,
  ): RetryDecision {
    const failed = {
      code,
      attempt: run.attempts,
      spentAttempts: spentAttempts - (refused ? 1 : 0),
      requestedAt: run.requestedAt,
      intervalMinutes: keyword?.intervalMinutes ?? null,
      notBefore: failureNotBefore(error, now),
    };
    return retryDecision(failed, now, this.limits.retry, Math.random());
  }

  private record(
    em: EntityManager,
    { run, lease }: Claimed,
    nextAttemptAt: Date | null,
    failure: { code: string; message: string; refused: boolean },
    at: Date,
  ): Promise<boolean> {
    const failed = { failureCode: failure.code, failureMessage: failure.message };
    return nextAttemptAt
      ? this.store.requeue(em, run.crawlId, lease, { nextAttemptAt, refused: failure.refused, ...failed })
      : this.store.finish(em, run.crawlId, lease, { status: 'failed', at, pagesFetched: 0, itemCount: 0, ...failed });
  }

  private origin(run: CrawlRun): EventOrigin {
    return { tenantId: run.tenantId, correlationId: run.correlationId, causationId: null };
  }
}
