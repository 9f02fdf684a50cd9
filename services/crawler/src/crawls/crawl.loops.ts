import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { CrawlWorker } from './crawl.worker';
import { DownstreamBackpressure } from './downstream-backpressure';

/** How the crawler's worker loops run (the scheduler's loop is `CrawlScheduler`'s). */
export interface CrawlLoopOptions {
  /** Crawls this replica runs at once (the per-marketplace caps still apply inside). */
  workers: number;
  /** How long an idle worker waits before looking for requested crawls again. */
  workerPollMs: number;
  logger: Logger;
}

export const CRAWL_LOOP_OPTIONS = Symbol('CRAWL_LOOP_OPTIONS');

/**
 * The crawl workers of this replica; stopped before the app shuts down. While {@link DownstreamBackpressure} pauses
 * crawls, none claims a run: requested runs stay `requested` in Postgres until ranking and alerting catch up (the
 * scheduler, `CrawlScheduler` in schedule/crawl.scheduler.ts, requests none meanwhile).
 */
@Injectable()
export class CrawlLoops implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Each looks for the next crawl at once after running one; {@link nudge} wakes an idle one. */
  private readonly workers: BackgroundLoop[];

  constructor(
    worker: CrawlWorker,
    backpressure: DownstreamBackpressure,
    @Inject(CRAWL_LOOP_OPTIONS) options: CrawlLoopOptions,
  ) {
    this.workers = Array.from(
      { length: options.workers },
      () =>
        new BackgroundLoop({
          name: 'crawl worker',
          intervalMs: options.workerPollMs,
          body: () => (backpressure.paused ? Promise.resolve(false) : worker.runNext()),
          logger: options.logger,
        }),
    );
  }

  onApplicationBootstrap(): void {
    this.workers.forEach((loop) => loop.start());
  }

  /** Lets one idle worker look for work now (a crawl was just requested on this replica). */
  nudge(): void {
    this.workers.some((loop) => loop.wake());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((loop) => loop.stop()));
  }
}
