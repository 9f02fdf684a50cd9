import { Migration } from '@mikro-orm/migrations';

/**
 * Products and keywords have a site (eBay `EBAY_GB`, …; null for marketplaces without sites) and products a
 * currency. Rows from before are Naver's: site null, currency KRW. A product is unique per site (the same eBay item
 * on two sites is two shelves, priced in two currencies), and so is a keyword; a null site is one value there.
 */
export class Migration20261204092000Sites extends Migration {
  override up(): void {
    this.addSql(`alter table ranking.products
      add column site text null,
      add column currency text not null default 'KRW' check (currency ~ '^[A-Z]{3}$')`);
    // Only the rows that existed are KRW by default: every product created from now on names its currency.
    this.addSql('alter table ranking.products alter column currency drop default');
    this.addSql(`alter table ranking.products
      drop constraint products_tenant_marketplace_external_unique,
      add constraint products_tenant_marketplace_site_external_unique
        unique nulls not distinct (tenant_id, marketplace, site, external_id)`);
    this.addSql(`alter table ranking.keywords
      add column site text null,
      drop constraint keywords_tenant_marketplace_text_unique,
      add constraint keywords_tenant_marketplace_site_text_unique
        unique nulls not distinct (tenant_id, marketplace, site, text)`);
  }
}
