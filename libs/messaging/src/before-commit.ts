import { EntityManager } from '@mikro-orm/postgresql';

/**
 * Work the handlers of one transaction left for its end: each key's work runs once, in registration
 * order, after the last handler (of the message, or of the whole batch in batch mode) and before the
 * commit, so a projection can collect a batch's events and write them with a few multi-row statements.
 */
export class BeforeCommit {
  private readonly work = new Map<string, (em: EntityManager) => Promise<void>>();

  /** Registers `work` under `key` unless work is registered under it already. */
  add(key: string, work: (em: EntityManager) => Promise<void>): void {
    if (!this.work.has(key)) {
      this.work.set(key, work);
    }
  }

  /** Runs and forgets every registered work, in the transaction of `em`; a failure rolls it back. */
  async run(em: EntityManager): Promise<void> {
    for (const [key, work] of this.work) {
      this.work.delete(key);
      await work(em);
    }
  }
}
