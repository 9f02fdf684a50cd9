import { MikroORM } from '@mikro-orm/postgresql';
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
 * Deletes inbox rows older than the de-duplication horizon in bounded batches, periodically. A failed
 * round (database away) is only logged: the next round catches up.
 */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<number> | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly logger: Logger,
    private readonly options: InboxPrunerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.round) {
        this.round = this.pruneOnce()
          .catch((error: unknown) => {
            this.logger.warn({ err: error, schema: this.options.schema }, 'inbox pruning failed; will retry');
            return 0;
          })
          .finally(() => {
            this.round = null;
          });
      }
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round: deletes expired rows batch by batch; returns how many were deleted. */
  async pruneOnce(): Promise<number> {
    const { schema, retainMs, batchSize, maxBatchesPerRound } = this.options;
    let deleted = 0;
    for (let batch = 0; batch < maxBatchesPerRound; batch++) {
      const rows = await this.orm.em.fork().execute<{ event_id: string }[]>(
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
