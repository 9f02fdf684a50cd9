import { Migration } from '@mikro-orm/migrations';

/**
 * The shelf memory orders a keyword's crawls by when they completed (`crawled_at`), not by when ranking recorded
 * them. Existing rows start from their `recorded_at`, which is never earlier than the crawl it remembers.
 */
export class Migration20261205070000ShelfCrawlTime extends Migration {
  override up(): void {
    this.addSql('alter table alerting.keyword_shelves add column crawled_at timestamptz');
    this.addSql('update alerting.keyword_shelves set crawled_at = recorded_at');
    this.addSql('alter table alerting.keyword_shelves alter column crawled_at set not null');
  }
}
