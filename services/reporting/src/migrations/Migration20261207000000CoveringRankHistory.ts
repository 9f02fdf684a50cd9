import { Migration } from '@mikro-orm/migrations';

/** What a rank or price history reads of `rank_hourly` beside its key: the primary key carries it. */
export const RANK_HOURLY_HISTORY_COLUMNS =
  'rank_min, rank_max, rank_last, samples, my_price, price_source, observed_mall, competitor_min, currency, order_fidelity';

/**
 * A product's hourly history is read from the index alone. The rows of one product and keyword are written an hour
 * apart, so each lies on its own heap page: 30 days of two keywords read 1,440 rows from 1,457 pages (5 ms at
 * 1 M rows, p95 39 ms at 10 M when those pages are not in memory). The primary key now carries the columns the
 * history answers (`include`), so the same range is an index-only scan of a few dozen pages once vacuum has marked
 * the pages visible. `rank_hourly` stays full (fillfactor 100): its updates were not heap-only before either, so
 * the wider key adds bytes per entry, not entries.
 *
 * Built as a new unique index, then swapped in as the primary key: the build blocks the projection's writes (not
 * the reports' reads) while it runs, the swap is immediate.
 */
export class Migration20261207000000CoveringRankHistory extends Migration {
  override up(): void {
    this.addSql(
      `create unique index rank_hourly_covering on reporting.rank_hourly (tenant_id, product_id, keyword_id, bucket)
         include (${RANK_HOURLY_HISTORY_COLUMNS})`,
    );
    this.addSql(
      `alter table reporting.rank_hourly drop constraint rank_hourly_pkey,
         add constraint rank_hourly_pkey primary key using index rank_hourly_covering`,
    );
  }
}
