import { Migration } from '@mikro-orm/migrations';

/**
 * Rank/price buckets say where the bucket's `my_price` comes from: the price my product was `observed` at on
 * the shelf (and its mall), or the `catalog` price, which every bucket projected before this migration holds.
 */
export class Migration20261203120001ObservedPrices extends Migration {
  override up(): void {
    for (const table of ['reporting.rank_hourly', 'reporting.rank_daily']) {
      this.addSql(`alter table ${table}
        add column price_source text not null default 'catalog' check (price_source in ('observed', 'catalog')),
        add column observed_mall text null`);
    }
  }
}
