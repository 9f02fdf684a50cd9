import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from 'pino';
import { DeliveryWorker } from './delivery.worker';

/** How the delivery loop runs on this replica. */
export interface DeliveryLoopOptions {
  /** Deliveries sent at once (a slow endpoint holds one worker, not all). */
  workers: number;
  /** How long an idle worker waits before looking for due deliveries again. */
  pollMs: number;
  logger: Logger;
}

export const DELIVERY_LOOP_OPTIONS = Symbol('DELIVERY_LOOP_OPTIONS');

/**
 * The webhook delivery workers of this replica: they work durable delivery rows, apart from event
 * processing, so that a slow or dead receiver never holds up alert evaluation. Stopped before shutdown.
 */
@Injectable()
export class DeliveryLoops implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private readonly timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(
    private readonly worker: DeliveryWorker,
    @Inject(DELIVERY_LOOP_OPTIONS) private readonly options: DeliveryLoopOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    for (let i = 0; i < this.options.workers; i++) {
      this.loops.push(this.workLoop());
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    for (const sleeper of [...this.timers]) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    await Promise.allSettled(this.loops);
  }

  private async workLoop(): Promise<void> {
    while (this.running) {
      const worked = await this.worker.runNext().catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'webhook delivery worker failed');
        return false;
      });
      if (!worked) {
        await this.sleep(this.options.pollMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.timers.delete(sleeper);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.timers.add(sleeper);
    });
  }
}
