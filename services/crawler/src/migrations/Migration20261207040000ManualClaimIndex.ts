import { Migration } from '@mikro-orm/migrations';

/**
 * Manual runs waiting, oldest first: the claim's second step reads the first unlocked one of this index instead
 * of sorting every waiting run (`crawl-claim.sql.ts`).
 */
export class Migration20261207040000ManualClaimIndex extends Migration {
  override up(): void {
    this.addSql(`create index crawl_runs_manual_claim_idx on crawler.crawl_runs (requested_at)
      where status = 'requested' and trigger = 'manual'`);
  }
}
