import { Migration } from '@mikro-orm/migrations';

/**
 * The shelf memory keeps the standings of the last judged crawl and the crawl time of the latest crawl seen
 * before it, so that a predecessor arriving late can have the judged crawl judged again against it. Existing rows
 * have neither (null): their crawl is never judged again.
 */
export class Migration20261206040000ShelfStandings extends Migration {
  override up(): void {
    this.addSql('alter table alerting.keyword_shelves add column standings jsonb');
    this.addSql('alter table alerting.keyword_shelves add column previous_crawled_at timestamptz');
  }
}
