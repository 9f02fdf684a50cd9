import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';
import { CrawlService } from './crawl.service';
import { CrawlWorker } from './crawl.worker';

/** How the crawler's background loops run. */
export interface CrawlLoopOptions {
  /** Crawls this replica runs at once (the per-marketplace caps still apply inside). */
  workers: number;
  /** How often due keywords are looked for. */
  schedulerIntervalMs: number;
  /** How long an idle worker waits before looking for requested crawls again. */
  workerPollMs: number;
  logger: Logger;
}

export const CRAWL_LOOP_OPTIONS = Symbol('CRAWL_LOOP_OPTIONS');

/** The due-crawl scheduler and the crawl workers of this replica; stopped before the app shuts down. */
@Injectable()
export class CrawlLoops implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  /** Idle workers, woken by {@link nudge}; the scheduler sleeps apart so that a nudge never runs it early. */
  private readonly idleWorkers = new Set<() => void>();
  private readonly schedulerSleep = new Set<() => void>();

  constructor(
    private readonly crawls: CrawlService,
    private readonly worker: CrawlWorker,
    @Inject(CRAWL_LOOP_OPTIONS) private readonly options: CrawlLoopOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loops.push(
      this.every(this.options.schedulerIntervalMs, () => this.crawls.scheduleDue().then(() => undefined)),
    );
    for (let i = 0; i < this.options.workers; i++) {
      this.loops.push(this.workLoop());
    }
  }

  /** Lets one idle worker look for work now (a crawl was just requested on this replica). */
  nudge(): void {
    const [wake] = this.idleWorkers;
    wake?.();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    for (const wake of [...this.idleWorkers, ...this.schedulerSleep]) {
      wake();
    }
    await Promise.allSettled(this.loops);
  }

  private async workLoop(): Promise<void> {
    while (this.running) {
      const worked = await this.worker.runNext().catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'crawl worker failed');
        return false;
      });
      if (!worked) {
        await this.sleep(this.options.workerPollMs, this.idleWorkers);
      }
    }
  }

  private async every(intervalMs: number, task: () => Promise<void>): Promise<void> {
    while (this.running) {
      await task().catch((error: unknown) => this.options.logger.error({ err: error }, 'crawl scheduler failed'));
      await this.sleep(intervalMs, this.schedulerSleep);
    }
  }

  private sleep(ms: number, sleepers: Set<() => void>): Promise<void> {
    if (!this.running) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }
}
