import { DataKind } from '@shelfwatch/contracts';
import { PurgeExecutor, PurgeReport, PurgeRequest, PurgeTarget, purgeForRequest } from '@shelfwatch/persistence';
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

/** Longest bucket of any read model derived from `dataKind`: how much earlier than a cut-off its events still count. */
export function bucketSlackMs(dataKind: DataKind): number {
  return Math.max(0, ...DERIVED[dataKind].map((derived) => derived.bucketMs));
}

/** A read model derived from a data kind, with the request it is purged under. */
export interface DerivedPurge extends DerivedTarget {
  request: PurgeRequest;
}

/** The request each read model derived from `dataKind` is purged under: earlier by its bucket. Pure. */
export function derivedPurges(dataKind: DataKind, request: PurgeRequest): DerivedPurge[] {
  return DERIVED[dataKind].map(({ target, bucketMs }) => ({ target, bucketMs, request: earlier(request, bucketMs) }));
}

/** Purges every read model derived from `dataKind` under the request's cut-offs (each bucket once it ended). */
export async function purgeDerived(
  executor: PurgeExecutor,
  dataKind: DataKind,
  request: PurgeRequest,
): Promise<{ table: string; report: PurgeReport }[]> {
  const reports: { table: string; report: PurgeReport }[] = [];
  for (const derived of derivedPurges(dataKind, request)) {
    reports.push({
      table: derived.target.table,
      report: await purgeForRequest(executor, derived.target, derived.request),
    });
  }
  return reports;
}
