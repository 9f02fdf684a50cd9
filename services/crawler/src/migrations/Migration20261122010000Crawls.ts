import { Migration } from '@mikro-orm/migrations';

/**
 * The crawl schedule (projected from tracking events) and crawl runs. At most one run per keyword is
 * active at any time across every crawler replica: the partial unique index refuses a second one.
 */
export class Migration20261122010000Crawls extends Migration {
  override up(): void {
    this.addSql(`create table crawler.products (
      product_id uuid primary key,
      tenant_id uuid not null,
      marketplace text not null,
      external_id text not null
    )`);
    this.addSql(`create table crawler.keywords (
      keyword_id uuid primary key,
      tenant_id uuid not null,
      marketplace text not null,
      text text not null,
      interval_minutes integer not null,
      next_due_at timestamptz not null
    )`);
    this.addSql('create index keywords_due_idx on crawler.keywords (next_due_at)');
    this.addSql(`create table crawler.keyword_products (
      keyword_id uuid not null references crawler.keywords (keyword_id) on delete cascade,
      product_id uuid not null,
      primary key (keyword_id, product_id)
    )`);
    this.addSql(`create table crawler.crawl_runs (
      crawl_id uuid primary key,
      tenant_id uuid not null,
      keyword_id uuid not null,
      trigger text not null,
      status text not null check (status in ('requested', 'running', 'completed', 'failed')),
      requested_at timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz,
      lease_until timestamptz,
      pages_fetched integer,
      item_count integer,
      failure_code text,
      failure_message text,
      correlation_id uuid not null,
      traceparent text
    )`);
    this.addSql(`create unique index crawl_runs_one_active_idx on crawler.crawl_runs (keyword_id)
      where status in ('requested', 'running')`);
    this.addSql(`create index crawl_runs_claim_idx on crawler.crawl_runs (requested_at) where status = 'requested'`);
    this.addSql('create index crawl_runs_tenant_idx on crawler.crawl_runs (tenant_id, requested_at desc)');
  }
}
