import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 16: a rank/price bucket says the currency of its prices, how faithfully its last rank is the shopper's
 * position, and what the marketplace said of my product's listing at the bucket's last crawl (null where it did not
 * say, or my product was not listed). Buckets projected before this migration are Naver's: KRW, exact.
 */
export class Migration20261204093001CurrenciesAndListings extends Migration {
  override up(): void {
    for (const table of ['reporting.rank_hourly', 'reporting.rank_daily']) {
      this.addSql(`alter table ${table}
        add column currency text not null default 'KRW',
        add column order_fidelity text not null default 'exact',
        add column seller_id text null,
        add column availability text null,
        add column review_count integer null,
        add column review_rating numeric(3, 2) null,
        add column placement text null,
        add column condition text null`);
    }
  }
}
