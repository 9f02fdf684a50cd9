import { Migration } from '@mikro-orm/migrations';

/**
 * A versioned schedule projection (docs/crawl-pipeline.md §Keyword management): the state of each keyword
 * (interval, pause) with the version it was applied at, the version of each link, tombstones of removed
 * links and products so a late event cannot bring them back; paused keywords; each tenant's plan
 * (read for the tenants' shares of a daily budget).
 */
export class Migration20261203110001VersionedSchedule extends Migration {
  override up(): void {
    this.addSql('alter table crawler.keywords add column paused boolean not null default false');
    this.addSql('alter table crawler.keyword_products add column version bigint not null default 0');
    this.addSql('alter table crawler.products add column version bigint not null default 0');
    this.addSql(`create table crawler.keyword_states (
      keyword_id uuid primary key,
      tenant_id uuid not null,
      interval_minutes integer not null,
      paused boolean not null,
      version bigint not null
    )`);
    this.addSql(`insert into crawler.keyword_states (keyword_id, tenant_id, interval_minutes, paused, version)
      select keyword_id, tenant_id, interval_minutes, false, 0 from crawler.keywords`);
    this.addSql(`create table crawler.removed_links (
      keyword_id uuid not null,
      product_id uuid not null,
      version bigint not null,
      removed_at timestamptz not null,
      primary key (keyword_id, product_id)
    )`);
    this.addSql(`create table crawler.removed_products (
      product_id uuid primary key,
      version bigint not null,
      removed_at timestamptz not null
    )`);
    this.addSql(`create table crawler.tenant_plans (
      tenant_id uuid primary key,
      plan text not null,
      share_weight integer not null,
      version bigint not null
    )`);
  }
}
