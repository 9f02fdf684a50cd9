import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DataKind, EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { PurgeTarget, purgeByTenantCutoffs } from '@shelfwatch/persistence';

/** Resolved alerts only (their history goes with them): an open alert is never purged, however old. */
export const RESOLVED_ALERTS: PurgeTarget = {
  table: 'alerting.alerts',
  keyColumn: 'alert_id',
  timeColumn: 'resolved_at',
  tenantColumn: 'tenant_id',
  condition: "status = 'resolved'",
};

/** Finished deliveries only: a pending or in-flight delivery is never purged. */
export const FINISHED_DELIVERIES: PurgeTarget = {
  table: 'alerting.deliveries',
  keyColumn: 'delivery_id',
  timeColumn: 'completed_at',
  tenantColumn: 'tenant_id',
  condition: "status in ('succeeded', 'failed')",
};

const TARGETS: Partial<Record<DataKind, PurgeTarget>> = { alerts: RESOLVED_ALERTS, delivery_logs: FINISHED_DELIVERIES };

/**
 * Answers the retention service's purge requests for alerts and delivery logs in bounded batches, each its
 * own short transaction outside the handler's; the report is committed with the handler's inbox row.
 */
@Injectable()
export class AlertingRetentionHandler {
  constructor(private readonly orm: MikroORM) {}

  @OnEvent('retention.purge.requested')
  async onPurgeRequested(event: EventEnvelope<'retention.purge.requested'>, ctx: HandlerContext): Promise<void> {
    const { sweepId, dataKind, cutoff, tenantCutoffs, batchSize, pauseMs } = event.data;
    const target = TARGETS[dataKind];
    if (!target) {
      return;
    }
    const result = await purgeByTenantCutoffs(
      this.orm.em.getConnection(),
      target,
      {
        defaultCutoff: new Date(cutoff),
        overrides: tenantCutoffs.map((t) => ({ tenantId: t.tenantId, cutoff: new Date(t.cutoff) })),
      },
      { batchSize, pauseMs },
    );
    await ctx.emit(
      'retention.purge.completed',
      {
        sweepId,
        dataKind,
        service: 'alerting',
        deleted: result.deleted,
        tenants: [...result.byTenant].map(([tenantId, deleted]) => ({ tenantId, deleted })),
        batches: result.batches,
        partitionsDropped: 0,
      },
      dataKind,
    );
  }
}
