import { Migration } from '@mikro-orm/migrations';

/**
 * Observed prices and listings without a price: a shelf row may have no price (null, never 0); a standing
 * says where its `my_price` comes from (`observed` shelf price and mall, or the `catalog` price, which rows
 * recorded before this migration carried) and keeps the catalogue price next to it.
 */
export class Migration20261203120001ObservedPrices extends Migration {
  override up(): void {
    this.addSql('alter table ranking.ranking_rows alter column price drop not null');
    this.addSql(`alter table ranking.standings
      add column price_source text not null default 'catalog' check (price_source in ('observed', 'catalog')),
      add column observed_mall text null,
      add column catalog_price numeric(14, 2) null`);
  }
}
