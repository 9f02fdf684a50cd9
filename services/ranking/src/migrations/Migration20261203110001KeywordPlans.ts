import { Migration } from '@mikro-orm/migrations';

/**
 * Keyword management and plans: a keyword can be paused; every keyword and product counts the
 * `tracking.*` events it announced (`version`), so the crawler ignores one delivered late; each tenant's
 * plan (no row: the default plan).
 */
export class Migration20261203110001KeywordPlans extends Migration {
  override up(): void {
    this.addSql('alter table ranking.keywords add column paused boolean not null default false');
    this.addSql('alter table ranking.keywords add column version bigint not null default 0');
    this.addSql('alter table ranking.products add column version bigint not null default 0');
    this.addSql(`create table ranking.tenant_plans (
      tenant_id uuid primary key,
      plan text not null,
      version bigint not null,
      updated_at timestamptz not null
    )`);
  }
}
