import { Migration } from '@mikro-orm/migrations';

/**
 * Crawl runs get a lease owner and a fencing token (only the current holder may renew, complete or fail a
 * run), retry bookkeeping (`attempts` started, of which `refused_attempts` the open breaker refused unsent, and
 * `next_attempt_at`). Fair claiming (manual runs first, then scheduled runs
 * of the tenant served least recently) keeps each tenant's last claim in `tenant_turns`.
 */
export class Migration20261203100010CrawlLeases extends Migration {
  override up(): void {
    this.addSql(`alter table crawler.crawl_runs
      add column lease_owner text,
      add column lease_token bigint not null default 0,
      add column attempts integer not null default 0,
      add column refused_attempts integer not null default 0,
      add column next_attempt_at timestamptz`);
    this.addSql('drop index if exists crawler.crawl_runs_claim_idx');
    this.addSql(`create index crawl_runs_claim_idx on crawler.crawl_runs (tenant_id, requested_at)
      where status = 'requested'`);
    this.addSql(`create table crawler.tenant_turns (
      tenant_id uuid primary key,
      last_claimed_at timestamptz not null
    )`);
    this.addSql(`create index crawl_runs_lease_idx on crawler.crawl_runs (lease_until) where status = 'running'`);
  }
}
