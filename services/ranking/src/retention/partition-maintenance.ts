import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { SERVICE_LOGGER } from '@shelfwatch/platform';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { RankingPartitionsStore } from './ranking-partitions.store';

/** How often the coming days' partitions are checked (hourly: a missed day is never more than an hour away). */
const MAINTENANCE_EVERY_MS = 3_600_000;

/** Creates the ranking rows' partitions ahead of time, at start and then an hour after each check. */
@Injectable()
export class PartitionMaintenance implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(partitions: RankingPartitionsStore, @Inject(CLOCK) clock: Clock, @Inject(SERVICE_LOGGER) logger: Logger) {
    this.loop = new BackgroundLoop({
      name: 'ranking partition maintenance',
      intervalMs: MAINTENANCE_EVERY_MS,
      body: () => partitions.ensureAhead(clock.now()).then(() => undefined),
      logger: logger.child({ context: PartitionMaintenance.name }),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
