import { Migration } from '@mikro-orm/migrations';

/** Lets the retention purge find finished crawl runs by age without scanning the table. */
export class Migration20261122050000CrawlRunsRetention extends Migration {
  override up(): void {
    this.addSql(`create index crawl_runs_finished_requested_idx on crawler.crawl_runs (requested_at)
      where status in ('completed', 'failed')`);
  }
}
