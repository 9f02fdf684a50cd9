import { Migration } from '@mikro-orm/migrations';

/**
 * A tenant's products by marketplace id, whatever the marketplace and site: recording a crawl looks up the
 * shelf's hundred ids among the tenant's products (`RankingsStore.loadRankingContext`) instead of reading them all.
 */
export class Migration20261207050000ProductsByExternalId extends Migration {
  override up(): void {
    this.addSql('create index products_tenant_external_idx on ranking.products (tenant_id, external_id)');
  }
}
