import { Migration } from '@mikro-orm/migrations';

/**
 * The reporting's read models (docs/reporting.md §Storage). Every table is rebuilt from the streams, so
 * none has a foreign key: projections of different streams arrive in any order. The dashboard's indexes
 * cover what it reads of each table (index-only scans of one tenant, plans in bench/REPORTING-REPORT.md).
 */
const readModels = [
  // TRACKING: tracked products (removed is a tombstone) and their keyword links (last writer wins on time).
  `create table reporting.products (
    product_id uuid primary key,
    tenant_id uuid not null,
    removed boolean not null
  )`,
  `create index products_tenant_idx on reporting.products (tenant_id, product_id) where not removed`,
  `create table reporting.product_keywords (
    product_id uuid not null,
    keyword_id uuid not null,
    tenant_id uuid not null,
    active boolean not null,
    changed_at timestamptz not null,
    primary key (product_id, keyword_id)
  )`,
  `create index product_keywords_tenant_idx on reporting.product_keywords (tenant_id) include (product_id, keyword_id)
     where active`,
  `create index product_keywords_keyword_idx on reporting.product_keywords (keyword_id)`,
  // CRAWL: one row per crawl in its furthest stage (1 requested, 2 running, 3 completed, 4 failed).
  `create table reporting.crawls (
    crawl_id uuid primary key,
    tenant_id uuid not null,
    keyword_id uuid not null,
    stage smallint not null check (stage between 1 and 4),
    changed_at timestamptz not null
  )`,
  `create index crawls_tenant_changed_idx on reporting.crawls (tenant_id, changed_at) include (stage)`,
  `create index crawls_tenant_completed_idx on reporting.crawls (tenant_id, changed_at) where stage = 3`,
  // ALERT: open = raised (type known) and not resolved.
  `create table reporting.alerts (
    alert_id uuid primary key,
    tenant_id uuid not null,
    alert_type text,
    resolved_at timestamptz
  )`,
  `create index alerts_open_idx on reporting.alerts (tenant_id, alert_type)
     where resolved_at is null and alert_type is not null`,
  // RANKING: crawls already projected (what makes the additive aggregates below replay-safe).
  `create table reporting.recorded_crawls (
    crawl_id uuid primary key,
    tenant_id uuid not null,
    keyword_id uuid not null,
    recorded_at timestamptz not null
  )`,
  `create table reporting.latest_ranks (
    product_id uuid not null,
    keyword_id uuid not null,
    tenant_id uuid not null,
    rank smallint,
    at timestamptz not null,
    primary key (product_id, keyword_id)
  )`,
  `create index latest_ranks_tenant_idx on reporting.latest_ranks (tenant_id) include (product_id, keyword_id, rank)`,
  // Brand share: top-100 positions per keyword, UTC day, rank and brand, summed over the day's crawls.
  `create table reporting.brand_slots (
    tenant_id uuid not null,
    keyword_id uuid not null,
    day date not null,
    rank smallint not null,
    brand text not null,
    slots integer not null,
    primary key (tenant_id, keyword_id, day, rank, brand)
  )`,
  // Cache invalidation: bumped in the transaction that changed what a cached answer depends on.
  `create table reporting.cache_versions (
    tenant_id uuid not null,
    scope text not null,
    version bigint not null,
    primary key (tenant_id, scope)
  )`,
];

/** Rank and price buckets of a product on a keyword; same shape per grain. */
function rankBuckets(table: string): string {
  return `create table reporting.${table} (
    tenant_id uuid not null,
    product_id uuid not null,
    keyword_id uuid not null,
    bucket timestamptz not null,
    last_at timestamptz not null,
    samples integer not null,
    rank_min smallint,
    rank_max smallint,
    rank_last smallint,
    my_price numeric(14, 2) not null,
    competitor_min numeric(14, 2),
    primary key (tenant_id, product_id, keyword_id, bucket)
  )`;
}

/** Reporting read models: tracking, crawls, alerts, rank/price buckets, brand slots, cache versions. */
export class Migration20261122100000ReadModels extends Migration {
  override up(): void {
    for (const statement of [...readModels, rankBuckets('rank_hourly'), rankBuckets('rank_daily')]) {
      this.addSql(statement);
    }
  }
}
