import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { PurgeGuard, SERVICE_LOGGER } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { DERIVED, purgeDerived } from './derived-purge';
import { PurgeWatermarksStore } from './purge-watermarks.store';

/**
 * Keeps analytics no longer than the data they come from: on each `retention.purge.requested` the reporting
 * purges what it derived from that kind, under the same cut-offs (per-tenant ones included), in the same
 * bounded batches, each its own short transaction outside the handler's. The owner of the kind answers the
 * sweep; the reporting only logs what it purged, so a sweep's completion does not wait for it. Without this,
 * rank and price history would outlive the RANKING stream, and a rebuild would no longer equal the live models.
 * Cached reports may show purged buckets until their TTL. Like every owner, it purges only what the current
 * policy and the floor allow: a refused request is acknowledged and deletes nothing.
 */
@Controller()
export class ReportingRetentionHandler {
  private readonly logger: Logger;

  constructor(
    private readonly orm: MikroORM,
    private readonly guard: PurgeGuard,
    private readonly watermarks: PurgeWatermarksStore,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: ReportingRetentionHandler.name });
  }

  @EventPattern<EventType>('retention.purge.requested')
  async onPurgeRequested(
    @Payload() event: EventEnvelope<'retention.purge.requested'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { sweepId, dataKind } = event.data;
    if (DERIVED[dataKind].length === 0 || !(await this.guard.allows(dataKind, event.data))) {
      return;
    }
    // Committed with the inbox row: from then on neither the projections nor a rebuild bring these back.
    await this.watermarks.record(ctx.em, dataKind, event.data);
    for (const { table, report } of await purgeDerived(this.orm.em.getConnection(), dataKind, event.data)) {
      this.logger.info(
        { sweepId, dataKind, table, deleted: report.deleted, batches: report.batches },
        'purged derived read model',
      );
    }
  }
}
