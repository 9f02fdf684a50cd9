import { Migration } from '@mikro-orm/migrations';

/**
 * What marketplace status reads: when a keyword was created (overdue before its first completed crawl), and
 * indexes that find the crawls finished in the last hour, a marketplace's newest failure and each keyword's last
 * completed crawl without scanning every run; and every replica's breaker state.
 */
export class Migration20261203150001MarketplaceStatus extends Migration {
  override up(): void {
    // Existing keywords count from the migration: their true creation time was never recorded.
    this.addSql('alter table crawler.keywords add column created_at timestamptz not null default now()');
    this.addSql(`create index crawl_runs_finished_at_idx on crawler.crawl_runs (finished_at desc)
      where status in ('completed', 'failed')`);
    this.addSql(`create index crawl_runs_keyword_completed_idx on crawler.crawl_runs (keyword_id, finished_at desc)
      where status = 'completed'`);
    // Each replica's breaker per marketplace, refreshed while it runs: status is open if any live replica's is.
    this.addSql(`create table crawler.marketplace_breakers (
      marketplace text not null,
      instance_id uuid not null,
      state text not null check (state in ('closed', 'open', 'halfOpen')),
      seen_at timestamptz not null,
      primary key (marketplace, instance_id)
    )`);
  }
}
