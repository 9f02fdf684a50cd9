import { Migration } from '@mikro-orm/migrations';

/**
 * Each alert keeps the crawl time of the crawl that raised it, and the cool-down is measured in crawl time: with
 * `raised_at` (when the alerting processed the crawl) it depended on how late crawls arrived. Existing rows start
 * from their `raised_at`, which is never earlier than the crawl that raised them.
 */
export class Migration20261206030000AlertCrawlTime extends Migration {
  override up(): void {
    this.addSql('alter table alerting.alerts add column crawled_at timestamptz');
    this.addSql('update alerting.alerts set crawled_at = raised_at');
    this.addSql('alter table alerting.alerts alter column crawled_at set not null');
  }
}
