import { MikroORM } from '@mikro-orm/postgresql';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { getTracer } from '@shelfwatch/observability';
import { inTransaction } from '@shelfwatch/persistence';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { CrawlService } from '../crawls/crawl.service';
import { ScheduledKeyword } from '../crawls/crawl.store';
import { DownstreamBackpressure } from '../crawls/downstream-backpressure';
import { catchUpDueAt, nextDueAt } from './schedule.policy';
import { ScheduleStore } from './schedule.store';

/** After downtime, keywords that missed whole intervals are spread over this window rather than crawled at once. */
export const CATCH_UP_SPREAD_MS = 10 * 60_000;

/** How the scheduler's loop runs. */
export interface CrawlSchedulerOptions {
  /** How long the scheduler waits after one look for due keywords before the next. */
  intervalMs: number;
  logger: Logger;
}

export const CRAWL_SCHEDULER_OPTIONS = Symbol('CRAWL_SCHEDULER_OPTIONS');

/**
 * Requests the crawls of due keywords, on a loop of this replica stopped before the app shuts down. While
 * {@link DownstreamBackpressure} pauses crawls, it requests none: due keywords stay due in Postgres until ranking
 * and alerting catch up (a keyword past a whole interval is then spread out like after downtime).
 */
@Injectable()
export class CrawlScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: ScheduleStore,
    private readonly crawls: CrawlService,
    backpressure: DownstreamBackpressure,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CRAWL_SCHEDULER_OPTIONS) options: CrawlSchedulerOptions,
  ) {
    this.loop = new BackgroundLoop({
      name: 'crawl scheduler',
      intervalMs: options.intervalMs,
      body: async () => {
        if (!backpressure.paused) {
          await this.scheduleDue();
        }
      },
      logger: options.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
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
        requested += (await this.inNewTrace(keyword, () => this.crawls.request(em, keyword, 'schedule'))) ? 1 : 0;
        await this.store.setNextDue(em, keyword.keywordId, nextDueAt(now, keyword.intervalMinutes, Math.random));
      }
      return requested;
    });
  }

  /** Runs `work` in a new root span, the start of a scheduled crawl's trace. */
  private inNewTrace<T>(keyword: ScheduledKeyword, work: () => Promise<T>): Promise<T> {
    const attributes = { 'shelfwatch.keyword_id': keyword.keywordId, 'shelfwatch.tenant_id': keyword.tenantId };
    return getTracer().startActiveSpan(`schedule crawl ${keyword.marketplace}`, { root: true, attributes }, (span) =>
      work().finally(() => span.end()),
    );
  }
}
