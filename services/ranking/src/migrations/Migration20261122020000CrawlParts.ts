import { Migration } from '@mikro-orm/migrations';

/** Parts of a crawl result split over several `crawl.completed` messages, held until the last arrives. */
export class Migration20261122020000CrawlParts extends Migration {
  override up(): void {
    this.addSql(`create table ranking.crawl_parts (
      crawl_id uuid not null,
      part integer not null,
      parts integer not null,
      items jsonb not null,
      received_at timestamptz not null default now(),
      primary key (crawl_id, part)
    )`);
  }
}
