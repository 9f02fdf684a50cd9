import { Migration } from '@mikro-orm/migrations';

/**
 * When a crawl's latest attempt failed: set when a failed attempt is put back for a retry, so marketplace status
 * names the errors of an outage while its crawls are still being retried (none has failed for good yet).
 */
export class Migration20261203160001AttemptFailedAt extends Migration {
  override up(): void {
    this.addSql('alter table crawler.crawl_runs add column attempt_failed_at timestamptz null');
    this.addSql(`create index crawl_runs_attempt_failed_idx on crawler.crawl_runs (attempt_failed_at desc)
      where attempt_failed_at is not null`);
  }
}
