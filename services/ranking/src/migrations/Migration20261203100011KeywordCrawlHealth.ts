import { Migration } from '@mikro-orm/migrations';

/**
 * Final crawl outcomes per keyword, projected from `crawl.completed` and final `crawl.failed`: the latest
 * completed crawl and the failures after it, from which a keyword's crawl health is read. Go with their keyword.
 */
export class Migration20261203100011KeywordCrawlHealth extends Migration {
  override up(): void {
    this.addSql(`create table ranking.keyword_crawl_outcomes (
      crawl_id uuid primary key,
      keyword_id uuid not null references ranking.keywords (id) on delete cascade,
      tenant_id uuid not null,
      at timestamptz not null,
      ok boolean not null,
      failure_code text,
      failure_message text
    )`);
    this.addSql(
      'create index keyword_crawl_outcomes_keyword_idx on ranking.keyword_crawl_outcomes (keyword_id, at desc)',
    );
  }
}
