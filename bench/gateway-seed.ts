import { Client } from 'pg';

/** Shape of the seeded history. */
export interface SeedPlan {
  tenantId: string;
  products: number;
  keywords: number;
  /** Hourly crawls per keyword; rows = keywords × crawls × itemsPerCrawl. */
  crawlsPerKeyword: number;
  itemsPerCrawl: number;
}

/** What the load phase needs: one product id with its history. */
export interface Seeded {
  productIds: string[];
  rankingRows: number;
}

/**
 * Writes a tenant's catalog and history straight into the ranking's and the reporting's schemas (as their
 * projections would have), in a handful of set-based statements: products, keywords, two keyword links per
 * product, hourly crawls, the shelf rows of every crawl, the standings of the linked products, and the
 * reporting's hourly and daily rank buckets and latest ranks.
 */
export async function seedHistory(databaseUrl: string, plan: SeedPlan): Promise<Seeded> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const t = plan.tenantId;
    await db.query('begin');
    await db.query(
      `insert into ranking.products (id, tenant_id, marketplace, external_id, name, price, currency, created_at)
       select gen_random_uuid(), $1, 'naver', 'own-' || i, 'Product ' || i, 10000 + i, 'KRW', now() - interval '30 days'
         from generate_series(1, $2) i`,
      [t, plan.products],
    );
    await db.query(
      `insert into ranking.keywords (id, tenant_id, marketplace, text, interval_minutes, created_at)
       select gen_random_uuid(), $1, 'naver', 'keyword ' || i, 60, now() - interval '30 days'
         from generate_series(1, $2) i`,
      [t, plan.keywords],
    );
    // Product i is linked to keywords i and i + 7 (mod the number of keywords).
    await db.query(
      `with p as (select id, row_number() over (order by external_id) - 1 as n from ranking.products where tenant_id = $1),
            k as (select id, row_number() over (order by text) - 1 as n from ranking.keywords where tenant_id = $1)
       insert into ranking.product_keywords (product_id, keyword_id, created_at)
       select p.id, k.id, now() - interval '30 days' from p join k
         on k.n = p.n % $2 or k.n = (p.n + 7) % $2
       on conflict do nothing`,
      [t, plan.keywords],
    );
    await db.query(
      `insert into ranking.crawls (crawl_id, tenant_id, keyword_id, crawled_at, item_count, recorded_at)
       select gen_random_uuid(), $1, k.id, date_trunc('hour', now()) - h * interval '1 hour', $3,
              date_trunc('hour', now()) - h * interval '1 hour'
         from ranking.keywords k, generate_series(0, $2 - 1) h where k.tenant_id = $1`,
      [t, plan.crawlsPerKeyword, plan.itemsPerCrawl],
    );
    const rows = await db.query(
      `insert into ranking.ranking_rows
              (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, product_id, title, mall, price, brand, excluded)
       select $1, c.keyword_id, c.crawl_id, c.crawled_at, r, 'ext-' || r, null, 'Item ' || r, 'Mall ' || (r % 17),
              5000 + r * 10, 'Brand ' || (r % 9), false
         from ranking.crawls c, generate_series(1, $2) r where c.tenant_id = $1`,
      [t, plan.itemsPerCrawl],
    );
    await db.query(
      `insert into ranking.standings (crawl_id, keyword_id, tenant_id, product_id, rank, previous_rank, change, my_price,
              lowest_competitor_price, lowest_competitor_external_id, lowest_competitor_mall, lowest_competitor_rank, recorded_at)
       select c.crawl_id, c.keyword_id, $1, l.product_id, 1 + abs(hashtext(c.crawl_id::text || l.product_id::text)) % 100,
              null, null, 10000, 5010, 'ext-1', 'Mall 1', 1, c.recorded_at
         from ranking.crawls c join ranking.product_keywords l on l.keyword_id = c.keyword_id where c.tenant_id = $1`,
      [t],
    );
    await seedReporting(db, t);
    await db.query('commit');
    await db.query('analyze');
    const ids = await db.query<{ id: string }>('select id from ranking.products where tenant_id = $1 order by id', [t]);
    return { productIds: ids.rows.map((row) => row.id), rankingRows: rows.rowCount ?? 0 };
  } finally {
    await db.end();
  }
}

/** The reporting's read models of the same history (what its projections would hold). */
async function seedReporting(db: Client, tenantId: string): Promise<void> {
  await db.query(
    `insert into reporting.products (product_id, tenant_id, removed) select id, tenant_id, false from ranking.products where tenant_id = $1`,
    [tenantId],
  );
  await db.query(
    `insert into reporting.product_keywords (product_id, keyword_id, tenant_id, active, changed_at)
     select l.product_id, l.keyword_id, $1, true, l.created_at from ranking.product_keywords l
       join ranking.products p on p.id = l.product_id where p.tenant_id = $1`,
    [tenantId],
  );
  for (const [table, grain] of [
    ['rank_hourly', 'hour'],
    ['rank_daily', 'day'],
  ] as const) {
    await db.query(
      `insert into reporting.${table} (tenant_id, product_id, keyword_id, bucket, last_at, samples, rank_min, rank_max,
              rank_last, my_price, competitor_min)
       select $1, s.product_id, s.keyword_id, date_trunc('${grain}', s.recorded_at), max(s.recorded_at), count(*),
              min(s.rank), max(s.rank), (array_agg(s.rank order by s.recorded_at desc))[1], 10000, min(s.lowest_competitor_price)
         from ranking.standings s where s.tenant_id = $1
        group by s.product_id, s.keyword_id, date_trunc('${grain}', s.recorded_at)`,
      [tenantId],
    );
  }
}
