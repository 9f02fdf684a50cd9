import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CLOCK, Clock } from '@shelfwatch/messaging';
import { RankingPartitions } from './ranking-partitions';

/** How often the coming days' partitions are checked (hourly: a missed day is never more than an hour away). */
const MAINTENANCE_EVERY_MS = 3_600_000;

/** Creates the ranking rows' partitions ahead of time, at start and then every hour. */
@Injectable()
export class PartitionMaintenance implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PartitionMaintenance.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly partitions: RankingPartitions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const tick = (): void => {
      this.running = this.running
        .then(() => this.partitions.ensureAhead(this.clock.now()))
        .catch((error: unknown) => this.logger.error({ err: error }, 'ranking partition maintenance failed'));
    };
    this.timer = setInterval(tick, MAINTENANCE_EVERY_MS);
    this.timer.unref();
    tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
