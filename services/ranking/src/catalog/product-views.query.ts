import { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '@shelfwatch/persistence';
import { UNKNOWN_HEALTH } from '../crawl-health/crawl-health';
import { RankingProductKeyword, RankingProductView } from '@shelfwatch/contracts';
import { productCurrency } from './product-currency';

/**
 * The keywords of product `p` as a JSON array, each with the product's standing at the keyword's latest
 * recorded crawl: the latest crawl from `crawls (keyword_id, crawled_at desc)`, the standing from its
 * primary key `(crawl_id, product_id)`. Never crawled, or linked after the latest crawl: nulls, and my price
 * is the catalogue price in the product's currency, with exact order.
 */
const KEYWORDS_OF_P = `coalesce((
    select json_agg(json_build_object(
             'keywordId', l.keyword_id, 'keyword', k.text, 'rank', s.rank, 'change', s.change,
             'lowestCompetitorPrice', s.lowest_competitor_price::float8, 'lastCrawledAt', c.crawled_at,
             'myPrice', coalesce(s.my_price, p.price)::float8, 'priceSource', coalesce(s.price_source, 'catalog'),
             'observedMall', s.observed_mall, 'intervalMinutes', k.interval_minutes, 'paused', k.paused,
             'currency', s.currency, 'orderFidelity', coalesce(c.order_fidelity, 'exact'))
           order by l.created_at, l.keyword_id)
      from ranking.product_keywords l
      join ranking.keywords k on k.id = l.keyword_id
      left join lateral (
        select cr.crawl_id, cr.crawled_at, cr.order_fidelity from ranking.crawls cr
         where cr.keyword_id = l.keyword_id order by cr.crawled_at desc, cr.crawl_id desc limit 1
      ) c on true
      left join ranking.standings s on s.crawl_id = c.crawl_id and s.product_id = l.product_id
     where l.product_id = p.id
  ), '[]'::json) as keywords`;

const PRODUCT_COLUMNS = `p.id, p.marketplace, p.site, p.currency, p.external_id, p.name, p.price::float8 as price,
  p.created_at, ${KEYWORDS_OF_P}`;

interface ProductRow {
  id: string;
  marketplace: string;
  site: string | null;
  currency: string;
  external_id: string;
  name: string;
  price: number;
  created_at: Date | string;
  keywords: (Omit<RankingProductKeyword, 'lastCrawledAt' | 'crawlHealth' | 'currency'> & {
    lastCrawledAt: string | null;
    currency: string | null;
  })[];
}

function toView(row: ProductRow): RankingProductView {
  return {
    id: row.id,
    marketplace: row.marketplace,
    site: row.site,
    currency: row.currency,
    externalId: row.external_id,
    name: row.name,
    price: Number(row.price),
    createdAt: new Date(row.created_at).toISOString(),
    keywords: row.keywords.map((keyword) => ({
      ...keyword,
      currency: keyword.currency ?? productCurrency(row),
      lowestCompetitorPrice: keyword.lowestCompetitorPrice === null ? null : Number(keyword.lowestCompetitorPrice),
      lastCrawledAt: keyword.lastCrawledAt === null ? null : new Date(keyword.lastCrawledAt).toISOString(),
      crawlHealth: UNKNOWN_HEALTH, // filled in by CrawlHealthService.ofProducts
    })),
  };
}

/** A page of the tenant's products ($1) and its product count, first ($2: rows) or after a product id ($2, $3). */
function pageSql(after: boolean): string {
  return `select t.total, ${PRODUCT_COLUMNS}
       from (select count(*)::int as total from ranking.products where tenant_id = $1) t
       left join lateral (
         select * from ranking.products where tenant_id = $1 ${after ? 'and id > $2' : ''}
          order by id limit ${after ? '$3' : '$2'}
       ) p on true
      order by p.id`;
}
const FIRST_PAGE = pageSql(false);
const PAGE_AFTER = pageSql(true);
const PRODUCT_BY_ID = `select ${PRODUCT_COLUMNS} from ranking.products p where p.id = $1 and p.tenant_id = $2`;

/**
 * One page of a tenant's products (`limit + 1` rows after `after`, in id order), each with its keywords and
 * standings, and the tenant's product count: ONE statement whatever the page size, prepared (executePrepared).
 */
export async function productPage(
  em: EntityManager,
  tenantId: string,
  after: string | undefined,
  limit: number,
): Promise<{ rows: RankingProductView[]; total: number }> {
  const rows = await executePrepared<Partial<ProductRow> & { total: number }>(em, after ? PAGE_AFTER : FIRST_PAGE, [
    tenantId,
    ...(after ? [after] : []),
    limit + 1,
  ]);
  const total = rows[0]?.total ?? 0;
  const products = rows.filter((row): row is ProductRow & { total: number } => typeof row.id === 'string');
  return { rows: products.map(toView), total };
}

/** One product of the tenant with its keywords and standings, or null (unknown or another tenant's). */
export async function productById(
  em: EntityManager,
  tenantId: string,
  productId: string,
): Promise<RankingProductView | null> {
  const [row] = await executePrepared<ProductRow>(em, PRODUCT_BY_ID, [productId, tenantId]);
  return row ? toView(row) : null;
}

/** A keyword just attached: nothing recorded about it for this product yet, so my price is the catalogue's. */
export function unrankedKeyword(
  keyword: { id: string; text: string; intervalMinutes: number; paused: boolean },
  product: { price: number; currency: string },
): RankingProductKeyword {
  const { id: keywordId, text, intervalMinutes, paused } = keyword;
  return {
    keywordId,
    keyword: text,
    rank: null,
    change: null,
    lowestCompetitorPrice: null,
    lastCrawledAt: null,
    myPrice: product.price,
    currency: productCurrency(product),
    orderFidelity: 'exact',
    priceSource: 'catalog',
    observedMall: null,
    intervalMinutes,
    paused,
    crawlHealth: UNKNOWN_HEALTH,
  };
}
