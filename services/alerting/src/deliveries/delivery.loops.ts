import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoop } from '@shelfwatch/resilience';
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
  private readonly workers: BackgroundLoop[];

  constructor(worker: DeliveryWorker, @Inject(DELIVERY_LOOP_OPTIONS) options: DeliveryLoopOptions) {
    // A worker that sent a delivery looks for the next at once; an idle one waits `pollMs`.
    this.workers = Array.from(
      { length: options.workers },
      () =>
        new BackgroundLoop({
          name: 'webhook delivery worker',
          intervalMs: options.pollMs,
          body: () => worker.runNext(),
          logger: options.logger,
        }),
    );
  }

  onApplicationBootstrap(): void {
    this.workers.forEach((loop) => loop.start());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((loop) => loop.stop()));
  }
}
