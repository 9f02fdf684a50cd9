import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { CrawlService } from './crawl.service';
import { CrawlWorker } from './crawl.worker';
import { DownstreamBackpressure } from './downstream-backpressure';

/** How the crawler's background loops run. */
export interface CrawlLoopOptions {
  /** Crawls this replica runs at once (the per-marketplace caps still apply inside). */
  workers: number;
  /** How long the scheduler waits after one look for due keywords before the next. */
  schedulerIntervalMs: number;
  /** How long an idle worker waits before looking for requested crawls again. */
  workerPollMs: number;
  logger: Logger;
}

export const CRAWL_LOOP_OPTIONS = Symbol('CRAWL_LOOP_OPTIONS');

/**
 * The due-crawl scheduler and the crawl workers of this replica; stopped before the app shuts down. While
 * {@link DownstreamBackpressure} pauses crawls, neither runs: requested runs stay `requested` and due keywords stay
 * due in Postgres until ranking and alerting catch up (a keyword past a whole interval is then spread out like
 * after downtime).
 */
@Injectable()
export class CrawlLoops implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly scheduler: BackgroundLoop;
  /** Each looks for the next crawl at once after running one; {@link nudge} wakes an idle one. */
  private readonly workers: BackgroundLoop[];

  constructor(
    crawls: CrawlService,
    worker: CrawlWorker,
    backpressure: DownstreamBackpressure,
    @Inject(CRAWL_LOOP_OPTIONS) options: CrawlLoopOptions,
  ) {
    this.scheduler = new BackgroundLoop({
      name: 'crawl scheduler',
      intervalMs: options.schedulerIntervalMs,
      body: async () => {
        if (!backpressure.paused) {
          await crawls.scheduleDue();
        }
      },
      logger: options.logger,
    });
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
    this.scheduler.start();
    this.workers.forEach((loop) => loop.start());
  }

  /** Lets one idle worker look for work now (a crawl was just requested on this replica); never the scheduler. */
  nudge(): void {
    this.workers.some((loop) => loop.wake());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.scheduler, ...this.workers].map((loop) => loop.stop()));
  }
}
