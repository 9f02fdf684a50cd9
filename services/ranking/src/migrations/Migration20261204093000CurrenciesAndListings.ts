import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 16, money has a currency and what the marketplaces bring is kept: a shelf row keeps its price's currency
 * and the listing fields eBay and Rakuten give (null where the marketplace does not say); a standing keeps the
 * currency its prices are in and how many competitors were priced in another one; a crawl keeps how faithfully its
 * ranks are the shopper's positions. Everything recorded before was Naver: KRW, organic, exact.
 * Constant defaults and nullable columns are catalogue-only changes (no table rewrite, no index), so the
 * partitioned ranking rows stay as cheap to insert and to add partitions to as before.
 */
export class Migration20261204093000CurrenciesAndListings extends Migration {
  override up(): void {
    this.addSql(`alter table ranking.ranking_rows
      add column currency text not null default 'KRW',
      add column seller_id text null,
      add column availability text null,
      add column review_count integer null,
      add column review_rating numeric(3, 2) null,
      add column placement text not null default 'organic',
      add column condition text null`);
    this.addSql(`alter table ranking.standings
      add column currency text not null default 'KRW',
      add column other_currency_competitors integer not null default 0`);
    this.addSql(`alter table ranking.crawls add column order_fidelity text not null default 'exact'`);
  }
}
