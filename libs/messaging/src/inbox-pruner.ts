import { MikroORM } from '@mikro-orm/postgresql';
import { freshEm } from '@shelfwatch/persistence';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';

/** How long processed event ids are remembered, and how the forgetting is paced. */
export interface InboxPrunerOptions {
  schema: string;
  /** Inbox rows older than this are deleted; at least the streams' duplicate window (see `dedup-horizons.ts`). */
  retainMs: number;
  /** Time between two pruning rounds. */
  intervalMs: number;
  /** Rows deleted per statement, so no statement holds locks on a large table for long. */
  batchSize: number;
  /** Statements per round; what is left waits for the next round. */
  maxBatchesPerRound: number;
}

export const defaultInboxPrunerOptions: Omit<InboxPrunerOptions, 'schema'> = {
  retainMs: 7 * 24 * 3_600_000,
  intervalMs: 10 * 60_000,
  batchSize: 5_000,
  maxBatchesPerRound: 20,
};

/**
 * Deletes inbox rows older than the de-duplication horizon in bounded batches, `intervalMs` after each round.
 * A failed round (database away) is only logged and counted: the next round catches up.
 */
export class InboxPruner {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly orm: MikroORM,
    logger: Logger,
    private readonly options: InboxPrunerOptions,
  ) {
    this.loop = new BackgroundLoop({
      name: 'inbox pruning',
      intervalMs: options.intervalMs,
      body: () => this.pruneOnce().then(() => undefined),
      logger: logger.child({ schema: options.schema }),
      delayFirst: true,
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: deletes expired rows batch by batch; returns how many were deleted. */
  async pruneOnce(): Promise<number> {
    const { schema, retainMs, batchSize, maxBatchesPerRound } = this.options;
    let deleted = 0;
    for (let batch = 0; batch < maxBatchesPerRound; batch++) {
      const rows = await freshEm(this.orm).execute<{ event_id: string }[]>(
        `delete from "${schema}".inbox where ctid in (
           select ctid from "${schema}".inbox
            where processed_at < now() - (? * interval '1 millisecond') limit ?)
         returning event_id`,
        [retainMs, batchSize],
      );
      deleted += rows.length;
      if (rows.length < batchSize) {
        break;
      }
    }
    return deleted;
  }
}
