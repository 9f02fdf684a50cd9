import { EntityManager } from '@mikro-orm/postgresql';
import { HandlerContext } from '@shelfwatch/messaging';
import { Projector } from './projector';
import { ReportingEvent } from './reporting-events';

/**
 * Collects the events of one consumer transaction (one message, or a whole batch in batch mode) and projects them
 * together just before it commits ({@link Projector.projectAll}): a batch of 64 recorded crawls costs a handful of
 * statements instead of five per crawl, a batch of crawl stages one, and each cache version is bumped once per batch
 * instead of once per event. The transaction's entity manager identifies it.
 */
export class ProjectionBatches {
  private readonly pending = new WeakMap<EntityManager, ReportingEvent[]>();

  constructor(private readonly projector: Projector) {}

  collect(event: ReportingEvent, ctx: HandlerContext): Promise<void> {
    const batch = this.pending.get(ctx.em);
    if (batch) {
      batch.push(event);
      return Promise.resolve();
    }
    const events = [event];
    this.pending.set(ctx.em, events);
    ctx.beforeCommit('reporting:projection', (em) => {
      this.pending.delete(ctx.em);
      return this.projector.projectAll(em, events);
    });
    return Promise.resolve();
  }
}
