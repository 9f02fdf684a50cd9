import { Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { DataKind, EventEnvelope } from '@shelfwatch/contracts';
import { HandlerContext, OnEvent } from '@shelfwatch/messaging';
import { PurgeGuard, PurgeRequest, PurgeTarget, purgeForRequest } from '@shelfwatch/persistence';
import { CrawlStage } from '../projections/crawl-alert.projection';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A read model derived from a data kind, kept no longer than that kind's policy says. `bucketMs` is the length
 * of one row's time bucket: a row goes only once its bucket ended before the cut-off, so a bucket that still
 * holds samples inside the window is kept (one ending exactly at the cut-off waits for the next sweep).
 */
export interface DerivedTarget {
  target: PurgeTarget;
  bucketMs: number;
}

/**
 * What the reporting derives from each data kind. Rows of the bucket tables have no single-column key, so
 * batches pick them by `ctid`. `brand_slots.day` is a date: Postgres compares it at midnight in the session's
 * time zone, so it waits two days rather than one, which keeps a UTC day whole in every zone.
 */
export const DERIVED: Record<DataKind, DerivedTarget[]> = {
  ranking_rows: [
    { target: bucketTable('reporting.rank_hourly', 'bucket'), bucketMs: HOUR_MS },
    { target: bucketTable('reporting.rank_daily', 'bucket'), bucketMs: DAY_MS },
    { target: bucketTable('reporting.brand_slots', 'day'), bucketMs: 2 * DAY_MS },
  ],
  crawl_runs: [
    {
      target: {
        table: 'reporting.crawls',
        keyColumn: 'crawl_id',
        timeColumn: 'changed_at',
        tenantColumn: 'tenant_id',
        condition: `stage in (${CrawlStage.Completed}, ${CrawlStage.Failed})`,
      },
      bucketMs: 0,
    },
    {
      target: {
        table: 'reporting.recorded_crawls',
        keyColumn: 'crawl_id',
        timeColumn: 'recorded_at',
        tenantColumn: 'tenant_id',
      },
      bucketMs: 0,
    },
  ],
  // Open alerts have no resolved_at and never match.
  alerts: [
    {
      target: {
        table: 'reporting.alerts',
        keyColumn: 'alert_id',
        timeColumn: 'resolved_at',
        tenantColumn: 'tenant_id',
      },
      bucketMs: 0,
    },
  ],
  delivery_logs: [],
};

function bucketTable(table: string, timeColumn: string): PurgeTarget {
  return { table, keyColumn: 'ctid', timeColumn, tenantColumn: 'tenant_id' };
}

/** The same request with every cut-off moved `ms` earlier. */
export function earlier(request: PurgeRequest, ms: number): PurgeRequest {
  const move = (at: string): string => new Date(new Date(at).getTime() - ms).toISOString();
  return {
    ...request,
    cutoff: move(request.cutoff),
    tenantCutoffs: request.tenantCutoffs.map((tenant) => ({ ...tenant, cutoff: move(tenant.cutoff) })),
  };
}

/**
 * Keeps analytics no longer than the data they come from: on each `retention.purge.requested` the reporting
 * purges what it derived from that kind, under the same cut-offs (per-tenant ones included), in the same
 * bounded batches, each its own short transaction outside the handler's. The owner of the kind answers the
 * sweep; the reporting only logs what it purged, so a sweep's completion does not wait for it. Without this,
 * rank and price history would outlive the RANKING stream, and a rebuild would no longer equal the live models.
 * Cached reports may show purged buckets until their TTL. Like every owner, it purges only what the current
 * policy and the floor allow: a refused request is acknowledged and deletes nothing.
 */
@Injectable()
export class ReportingRetentionHandler {
  private readonly logger = new Logger(ReportingRetentionHandler.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly guard: PurgeGuard,
  ) {}

  @OnEvent('retention.purge.requested')
  async onPurgeRequested(event: EventEnvelope<'retention.purge.requested'>, _ctx: HandlerContext): Promise<void> {
    const { sweepId, dataKind } = event.data;
    if (DERIVED[dataKind].length === 0 || !(await this.guard.allows(dataKind, event.data))) {
      return;
    }
    for (const { target, bucketMs } of DERIVED[dataKind]) {
      const report = await purgeForRequest(this.orm.em.getConnection(), target, earlier(event.data, bucketMs));
      this.logger.log(
        { sweepId, dataKind, table: target.table, deleted: report.deleted, batches: report.batches },
        'purged derived read model',
      );
    }
  }
}
