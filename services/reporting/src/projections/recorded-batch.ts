import { EntityManager } from '@mikro-orm/postgresql';
import { EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { Projector } from './projector';

/**
 * Collects the recorded crawls of one consumer transaction (one message, or a whole batch in batch mode) and
 * projects them together just before it commits: a batch of 64 crawls costs a handful of statements instead of
 * five per crawl. The transaction's entity manager identifies it.
 */
export class RecordedCrawlBatches {
  private readonly pending = new WeakMap<EntityManager, EventEnvelope<'ranking.recorded'>[]>();

  constructor(private readonly projector: Projector) {}

  collect(event: EventEnvelope<'ranking.recorded'>, ctx: HandlerContext): Promise<void> {
    const batch = this.pending.get(ctx.em);
    if (batch) {
      batch.push(event);
      return Promise.resolve();
    }
    const events = [event];
    this.pending.set(ctx.em, events);
    ctx.beforeCommit('reporting:ranking.recorded', (em) => {
      this.pending.delete(ctx.em);
      return this.projector.projectAll(em, events);
    });
    return Promise.resolve();
  }
}
