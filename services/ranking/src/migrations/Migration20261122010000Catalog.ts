import { Migration } from '@mikro-orm/migrations';

const catalog = [
  `create table ranking.products (
    id uuid primary key,
    tenant_id uuid not null,
    marketplace text not null,
    external_id text not null,
    name text not null,
    price numeric(14, 2) not null check (price >= 0),
    created_at timestamptz not null,
    constraint products_tenant_marketplace_external_unique unique (tenant_id, marketplace, external_id)
  )`,
  `create table ranking.keywords (
    id uuid primary key,
    tenant_id uuid not null,
    marketplace text not null,
    text text not null,
    interval_minutes integer not null default 60 check (interval_minutes between 5 and 10080),
    created_at timestamptz not null,
    constraint keywords_tenant_marketplace_text_unique unique (tenant_id, marketplace, text)
  )`,
  `create table ranking.product_keywords (
    product_id uuid not null references ranking.products (id) on delete cascade,
    keyword_id uuid not null references ranking.keywords (id) on delete cascade,
    created_at timestamptz not null,
    primary key (product_id, keyword_id)
  )`,
  `create index product_keywords_keyword_idx on ranking.product_keywords (keyword_id)`,
  `create table ranking.exclusions (
    id uuid primary key,
    tenant_id uuid not null,
    kind text not null check (kind in ('product', 'mall')),
    value text not null,
    created_at timestamptz not null,
    constraint exclusions_tenant_kind_value_unique unique (tenant_id, kind, value)
  )`,
];

// No foreign keys to the catalog: history outlives a removed keyword or product.
const rankings = [
  `create table ranking.crawls (
    crawl_id uuid primary key,
    tenant_id uuid not null,
    keyword_id uuid not null,
    crawled_at timestamptz not null,
    item_count integer not null,
    recorded_at timestamptz not null
  )`,
  `create index crawls_keyword_crawled_idx on ranking.crawls (keyword_id, crawled_at desc)`,
  `create table ranking.ranking_rows (
    id bigint generated always as identity primary key,
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
    excluded boolean not null
  )`,
  `create index ranking_rows_keyword_crawled_idx on ranking.ranking_rows (keyword_id, crawled_at)`,
  `create index ranking_rows_crawl_idx on ranking.ranking_rows (crawl_id)`,
  `create table ranking.standings (
    crawl_id uuid not null,
    keyword_id uuid not null,
    tenant_id uuid not null,
    product_id uuid not null,
    rank integer null,
    previous_rank integer null,
    change integer null,
    my_price numeric(14, 2) not null,
    lowest_competitor_price numeric(14, 2) null,
    lowest_competitor_external_id text null,
    lowest_competitor_mall text null,
    lowest_competitor_rank integer null,
    recorded_at timestamptz not null,
    primary key (crawl_id, product_id)
  )`,
  `create index standings_keyword_recorded_idx on ranking.standings (keyword_id, recorded_at desc)`,
];

/** The tracking catalog (products, keywords, links, exclusions) and the recorded rankings. */
export class Migration20261122010000Catalog extends Migration {
  override up(): void {
    for (const statement of [...catalog, ...rankings]) {
      this.addSql(statement);
    }
  }
}
