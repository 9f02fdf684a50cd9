import { Migration } from '@mikro-orm/migrations';

/**
 * The request budget of each credential, shared by every crawler replica (docs/crawl-pipeline.md §Budget):
 * its day count and quota pause, and a permit per request (a concurrency permit while in flight, a rate slot until
 * a second after it ended; they expire, so a crashed replica's permits come back), each tenant's use of the platform credentials, and the tenants' plans
 * that weigh their shares (written by the plan projection; created here if it does not exist yet).
 */
export class Migration20261203130001RequestBudget extends Migration {
  override up(): void {
    this.addSql(`create table crawler.request_budgets (
      budget_key text primary key,
      resets_at timestamptz not null,
      used_today integer not null,
      paused_until timestamptz
    )`);
    this.addSql(`create table crawler.budget_permits (
      permit_id uuid primary key,
      budget_key text not null,
      granted_at timestamptz not null,
      expires_at timestamptz not null,
      released_at timestamptz
    )`);
    this.addSql('create index budget_permits_key_idx on crawler.budget_permits (budget_key, expires_at)');
    this.addSql(`create table crawler.tenant_usage (
      budget_key text not null,
      tenant_id uuid not null,
      resets_at timestamptz not null,
      used integer not null,
      primary key (budget_key, tenant_id)
    )`);
    this.addSql(`create table if not exists crawler.tenant_plans (
      tenant_id uuid primary key,
      plan text not null,
      share_weight integer not null,
      version bigint not null
    )`);
    this.addSql('create index keywords_marketplace_tenant_idx on crawler.keywords (marketplace, tenant_id)');
  }
}
