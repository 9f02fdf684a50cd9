import { MikroORM } from '@mikro-orm/postgresql';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DataKind, EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '@shelfwatch/messaging';
import { PurgeGuard } from '@shelfwatch/platform';
import { PurgeTarget, purgeForRequest } from '@shelfwatch/persistence';

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
 * own short transaction outside the handler's; the report is committed with the handler's inbox row. A request
 * the current policy or the floor does not allow is refused (acknowledged, nothing deleted).
 */
@Controller()
export class AlertingRetentionHandler {
  constructor(
    private readonly orm: MikroORM,
    private readonly guard: PurgeGuard,
  ) {}

  @EventPattern<EventType>('retention.purge.requested')
  async onPurgeRequested(
    @Payload() event: EventEnvelope<'retention.purge.requested'>,
    @Ctx() ctx: HandlerContext,
  ): Promise<void> {
    const { sweepId, dataKind } = event.data;
    const target = TARGETS[dataKind];
    if (!target || !(await this.guard.allows(dataKind, event.data))) {
      return;
    }
    const report = await purgeForRequest(this.orm.em.getConnection(), target, event.data);
    await ctx.emit('retention.purge.completed', { sweepId, dataKind, service: 'alerting', ...report }, dataKind);
  }
}
