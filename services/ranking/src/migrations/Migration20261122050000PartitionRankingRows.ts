import { Migration } from '@mikro-orm/migrations';

/**
 * Ranking rows become a table partitioned by day on `crawled_at`, so that retention drops whole expired
 * days instead of deleting their rows one by one. Table, column and index names stay the same, so every
 * query over `ranking.ranking_rows` keeps working. A default partition catches a row outside every daily
 * one; partition maintenance creates the days ahead (`ranking_rows_pYYYYMMDD`).
 *
 * 1. set the old table and its names aside; 2. create the partitioned table, its indexes and partitions
 *    (every day holding old rows, then today and the next 7 days); 3. copy the rows; 4. drop the old table.
 */
export class Migration20261122050000PartitionRankingRows extends Migration {
  override up(): void {
    // 1.
    this.addSql('alter table ranking.ranking_rows rename to ranking_rows_unpartitioned');
    this.addSql(
      'alter table ranking.ranking_rows_unpartitioned rename constraint ranking_rows_pkey to ranking_rows_unpartitioned_pkey',
    );
    this.addSql(
      'alter index ranking.ranking_rows_keyword_crawled_idx rename to ranking_rows_unpartitioned_keyword_crawled_idx',
    );
    this.addSql('alter index ranking.ranking_rows_crawl_idx rename to ranking_rows_unpartitioned_crawl_idx');
    // 2. Postgres 15 has no identity column on a partitioned table: a sequence of its own does the same.
    this.addSql('create sequence ranking.ranking_row_ids as bigint');
    this.addSql(
      `select setval('ranking.ranking_row_ids', coalesce((select max(id) from ranking.ranking_rows_unpartitioned), 0) + 1, false)`,
    );
    this.addSql(`create table ranking.ranking_rows (
      id bigint not null default nextval('ranking.ranking_row_ids'),
      tenant_id uuid not null,
      keyword_id uuid not null,
      crawl_id uuid not null,
      crawled_at timestamptz not null,
      rank integer not null,
      external_id text not null,
      product_id uuid null,
      title text not null,
      mall text not null,
      price numeric(14, 2) not null,
      brand text not null,
      excluded boolean not null,
      primary key (id, crawled_at)
    ) partition by range (crawled_at)`);
    this.addSql('alter sequence ranking.ranking_row_ids owned by ranking.ranking_rows.id');
    this.addSql('create index ranking_rows_keyword_crawled_idx on ranking.ranking_rows (keyword_id, crawled_at)');
    this.addSql('create index ranking_rows_crawl_idx on ranking.ranking_rows (crawl_id)');
    this.addSql('create table ranking.ranking_rows_default partition of ranking.ranking_rows default');
    this.addSql(`do $$
      declare
        first_day date := coalesce(
          (select min(crawled_at) at time zone 'UTC' from ranking.ranking_rows_unpartitioned)::date,
          (now() at time zone 'UTC')::date);
        last_day date := (now() at time zone 'UTC')::date + 7;
        day date;
      begin
        day := first_day;
        while day <= last_day loop
          execute format(
            'create table ranking.%I partition of ranking.ranking_rows for values from (%L) to (%L)',
            'ranking_rows_p' || to_char(day, 'YYYYMMDD'),
            (day::timestamp at time zone 'UTC'), ((day + 1)::timestamp at time zone 'UTC'));
          day := day + 1;
        end loop;
      end $$`);
    // 3. and 4.
    this.addSql('insert into ranking.ranking_rows select * from ranking.ranking_rows_unpartitioned');
    this.addSql('drop table ranking.ranking_rows_unpartitioned');
  }
}
