import { EntityManager } from '@mikro-orm/postgresql';
import { AlertType, ReportingDashboardView, alertTypeSchema } from '@shelfwatch/contracts';
import { CrawlStage } from '../projections/crawl-alert.projection';

interface DashboardRow {
  tracked_products: number;
  tracked_keywords: number;
  crawls: Record<string, number>;
  alerts: Record<string, number>;
  average_rank: number | null;
  last_success: Date | null;
}

/**
 * The whole dashboard in one statement: the tenant's tracked links (active, of a product not removed) once, as a
 * materialised CTE both the keyword count and the average rank hash-join with, and scalar sub-queries, each an
 * index-only range of one tenant. Probing `latest_ranks` per tracked link instead cost 4,200 buffer visits and
 * 9 ms of the dashboard's 11 at 10 M rows; the hash join visits ~40 (plans in bench/REPORTING-REPORT.md).
 * `now` comes in so that the 24 h window is testable.
 */
export const DASHBOARD_SQL = `
with tracked as materialized (
  select l.product_id, l.keyword_id
    from reporting.product_keywords l
    join reporting.products p on p.product_id = l.product_id and p.tenant_id = l.tenant_id and not p.removed
   where l.tenant_id = ? and l.active
)
select
  (select count(*)::int from reporting.products p where p.tenant_id = ? and not p.removed) as tracked_products,
  (select count(distinct t.keyword_id)::int from tracked t) as tracked_keywords,
  (select coalesce(json_object_agg(x.stage, x.n), '{}'::json)
     from (select c.stage, count(*)::int as n from reporting.crawls c
            where c.tenant_id = ? and c.changed_at > ?::timestamptz - interval '24 hours'
              and c.changed_at <= ?::timestamptz
            group by c.stage) x) as crawls,
  (select coalesce(json_object_agg(y.alert_type, y.n), '{}'::json)
     from (select a.alert_type, count(*)::int as n from reporting.alerts a
            where a.tenant_id = ? and a.resolved_at is null and a.alert_type is not null
            group by a.alert_type) y) as alerts,
  (select avg(r.rank)::float8
     from reporting.latest_ranks r join tracked t using (product_id, keyword_id)
    where r.tenant_id = ? and r.rank is not null) as average_rank,
  (select max(c.changed_at) from reporting.crawls c where c.tenant_id = ? and c.stage = ${CrawlStage.Completed})
    as last_success`;

/** The tenant's dashboard as of `now`. */
export async function dashboard(em: EntityManager, tenantId: string, now: Date): Promise<ReportingDashboardView> {
  const at = now.toISOString();
  const [row] = await em.execute<DashboardRow[]>(DASHBOARD_SQL, [
    tenantId,
    tenantId,
    tenantId,
    at,
    at,
    tenantId,
    tenantId,
    tenantId,
  ]);
  const crawls = row?.crawls ?? {};
  const alerts = row?.alerts ?? {};
  const openAlerts = Object.fromEntries(alertTypeSchema.options.map((type) => [type, alerts[type] ?? 0])) as Record<
    AlertType,
    number
  >;
  return {
    trackedProducts: row?.tracked_products ?? 0,
    trackedKeywords: row?.tracked_keywords ?? 0,
    crawlsLast24h: {
      requested: crawls[CrawlStage.Requested] ?? 0,
      running: crawls[CrawlStage.Running] ?? 0,
      completed: crawls[CrawlStage.Completed] ?? 0,
      failed: crawls[CrawlStage.Failed] ?? 0,
    },
    openAlerts,
    averageRank: row?.average_rank ?? null,
    lastSuccessfulCrawlAt: row?.last_success ? new Date(row.last_success).toISOString() : null,
    generatedAt: at,
  };
}
