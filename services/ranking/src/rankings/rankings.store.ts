import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CrawlItem, EventData, OrderFidelity, PriceSource, RankingEntry, Standing } from '@shelfwatch/contracts';
import { productCurrency } from '../catalog/product-currency';
import { CrawlOrder } from './rank-changes';
import { Exclusions, OwnProduct, normalizeMall } from './standings';
import { ArrayColumn, executePrepared, numberedPlaceholders, unnestInsert } from '@shelfwatch/persistence';

/** The crawled keyword, as the catalog knows it. */
export interface CrawledKeyword {
  id: string;
  tenantId: string;
  marketplace: string;
}

/** What the standings computation needs from the catalog and the previous crawl. */
export interface RankingContext {
  ownProducts: OwnProduct[];
  trackedProductIds: string[];
  exclusions: Exclusions;
  /** Standing ranks at the previous crawl; a product absent from the map had no standing then. */
  previousRanks: Map<string, number | null>;
}

/** One recorded crawl of a keyword. */
export interface RecordedCrawl {
  crawlId: string;
  keyword: CrawledKeyword;
  crawledAt: string;
  recordedAt: string;
  orderFidelity: OrderFidelity;
  items: readonly CrawlItem[];
  entries: readonly RankingEntry[];
  standings: readonly Standing[];
}

/** A shelf row to store: the crawl's entry and the item it came from (for its title). */
interface ShelfRow {
  entry: RankingEntry;
  title: string;
}

/** The per-row columns of `ranking.ranking_rows`; the listing fields are null where the marketplace says nothing. */
const ROW_COLUMNS: readonly ArrayColumn<ShelfRow>[] = [
  { name: 'rank', type: 'integer', of: ({ entry }) => entry.rank },
  { name: 'external_id', type: 'text', of: ({ entry }) => entry.externalId },
  { name: 'product_id', type: 'uuid', of: ({ entry }) => entry.productId },
  { name: 'title', type: 'text', of: ({ title }) => title },
  { name: 'mall', type: 'text', of: ({ entry }) => entry.mall },
  { name: 'price', type: 'numeric', of: ({ entry }) => entry.price },
  { name: 'brand', type: 'text', of: ({ entry }) => entry.brand },
  { name: 'excluded', type: 'boolean', of: ({ entry }) => entry.excluded },
  { name: 'currency', type: 'text', of: ({ entry }) => entry.currency },
  { name: 'seller_id', type: 'text', of: ({ entry }) => entry.sellerId },
  { name: 'availability', type: 'text', of: ({ entry }) => entry.availability },
  { name: 'review_count', type: 'integer', of: ({ entry }) => entry.reviewCount },
  { name: 'review_rating', type: 'numeric', of: ({ entry }) => entry.reviewRating },
  { name: 'placement', type: 'text', of: ({ entry }) => entry.placement },
  { name: 'condition', type: 'text', of: ({ entry }) => entry.condition },
];

/** The per-standing columns of `ranking.standings`. */
const STANDING_COLUMNS: readonly ArrayColumn<Standing>[] = [
  { name: 'product_id', type: 'uuid', of: (s) => s.productId },
  { name: 'rank', type: 'integer', of: (s) => s.rank },
  { name: 'previous_rank', type: 'integer', of: (s) => s.previousRank },
  { name: 'change', type: 'integer', of: (s) => s.change },
  { name: 'my_price', type: 'numeric', of: (s) => s.myPrice },
  { name: 'price_source', type: 'text', of: (s) => s.priceSource },
  { name: 'observed_mall', type: 'text', of: (s) => s.observedMall },
  { name: 'catalog_price', type: 'numeric', of: (s) => s.catalogPrice },
  { name: 'currency', type: 'text', of: (s) => s.currency },
  { name: 'lowest_competitor_price', type: 'numeric', of: (s) => s.lowestCompetitorPrice },
  { name: 'other_currency_competitors', type: 'integer', of: (s) => s.otherCurrencyCompetitors },
  { name: 'lowest_competitor_external_id', type: 'text', of: (s) => s.lowestCompetitor?.externalId ?? null },
  { name: 'lowest_competitor_mall', type: 'text', of: (s) => s.lowestCompetitor?.mall ?? null },
  { name: 'lowest_competitor_rank', type: 'integer', of: (s) => s.lowestCompetitor?.rank ?? null },
];

interface SuccessorRow {
  crawl_id: string;
  order_fidelity: OrderFidelity;
  product_id: string;
  rank: number | null;
  previous_rank: number | null;
  change: number | null;
  my_price: number;
  price_source: PriceSource;
  observed_mall: string | null;
  catalog_price: number | null;
  currency: string;
  lowest_competitor_price: number | null;
  other_currency_competitors: number;
  lowest_competitor_external_id: string | null;
  lowest_competitor_mall: string | null;
  lowest_competitor_rank: number | null;
}

/** The columns of a stored standing (table alias `s`) that {@link toStoredStanding} reads. */
/**
 * The tenant's products that a crawl of a keyword ranks ($1 keyword, $2 tenant, $3 marketplace, $4 the shelf's
 * distinct external ids): the ids of those tracked on the keyword, those of the shelf's ids that are the tenant's
 * (one descent of `(tenant_id, external_id)` per id), then each product by its key. `offset 0` keeps every
 * lookup a lookup whatever the table's statistics say, so the work follows the shelf and never the catalogue. On
 * a new tenant, whose statistics still said "one row", a join the planner was free to shape started from the
 * tenant's 540 products and searched the ids once per product: 10,000 buffers and 140 ms a crawl; and a shelf
 * id matched by filtering every product of the tenant against the array is a catalogue times a shelf.
 */
export const CONTEXT_PRODUCTS_SQL = `with wanted as (
     select l.product_id as id, true as tracked from ranking.product_keywords l where l.keyword_id = $1
     union all
     select q.id, false
       from unnest($4::text[]) as e(external_id)
       cross join lateral (select q.id from ranking.products q
                            where q.tenant_id = $2 and q.external_id = e.external_id offset 0) q)
   select p.id, p.external_id, p.currency, p.price::float8 as price, w.tracked
     from (select id, bool_or(tracked) as tracked from wanted group by id) w
     cross join lateral (select p.id, p.tenant_id, p.marketplace, p.external_id, p.currency, p.price
                           from ranking.products p where p.id = w.id offset 0) p
    where p.tenant_id = $2 and p.marketplace = $3
    order by p.id`;

export const STORED_STANDING_COLUMNS = `s.product_id, s.rank, s.previous_rank, s.change, s.my_price::float8 as my_price,
            s.price_source, s.observed_mall, s.catalog_price::float8 as catalog_price, s.currency,
            s.lowest_competitor_price::float8 as lowest_competitor_price, s.other_currency_competitors,
            s.lowest_competitor_external_id, s.lowest_competitor_mall, s.lowest_competitor_rank`;

/** A stored standing as the event contract carries it. */
export function toStoredStanding(row: Omit<SuccessorRow, 'crawl_id' | 'order_fidelity'>): Standing {
  const competitor =
    row.lowest_competitor_external_id !== null && row.lowest_competitor_rank !== null
      ? {
          externalId: row.lowest_competitor_external_id,
          mall: row.lowest_competitor_mall ?? '',
          rank: row.lowest_competitor_rank,
        }
      : null;
  return {
    productId: row.product_id,
    rank: row.rank,
    previousRank: row.previous_rank,
    change: row.change,
    myPrice: Number(row.my_price),
    priceSource: row.price_source,
    observedMall: row.observed_mall,
    catalogPrice: row.catalog_price === null ? null : Number(row.catalog_price),
    currency: row.currency,
    lowestCompetitorPrice: row.lowest_competitor_price === null ? null : Number(row.lowest_competitor_price),
    otherCurrencyCompetitors: row.other_currency_competitors,
    lowestCompetitor: competitor,
  };
}

/**
 * Where the recorded crawls live: the keyword's lock, the context a crawl's standings are computed against, the
 * crawl's rows and standings, and the parts of a split crawl. SQL throughout: advisory locks, one `unnest` insert
 * per table for a crawl of any size, and reads that join three tables in one round trip.
 */
@Injectable()
export class RankingsStore {
  /**
   * The complete item list of a crawl once every part of it has arrived, else null (the part is kept).
   * Parts of one crawl are serialised on an advisory lock, so two consumers handling two parts at once
   * cannot each miss the other's. Runs in the handler's transaction: a rollback keeps nothing.
   */
  async assembleCrawl(em: EntityManager, data: EventData<'crawl.completed'>): Promise<CrawlItem[] | null> {
    if (data.parts === 1) {
      return data.items;
    }
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [data.crawlId]);
    await em.execute(
      'insert into ranking.crawl_parts (crawl_id, part, parts, items) values (?, ?, ?, ?::jsonb) on conflict do nothing',
      [data.crawlId, data.part, data.parts, JSON.stringify(data.items)],
      'run',
    );
    const held = await em.execute<{ items: CrawlItem[] }[]>(
      'select items from ranking.crawl_parts where crawl_id = ? order by part',
      [data.crawlId],
    );
    if (held.length < data.parts) {
      return null;
    }
    await em.execute('delete from ranking.crawl_parts where crawl_id = ?', [data.crawlId], 'run');
    return held.flatMap((row) => row.items).sort((a, b) => a.rank - b.rank);
  }

  /**
   * The tenant's keyword, or null when it does not exist (any more) for that tenant; when it does, holds the lock
   * that serialises the recording of its crawls (in the handler's transaction), so that two crawls of it recorded
   * at once cannot both be computed against the same previous crawl. One round trip.
   */
  async findAndLockKeyword(em: EntityManager, tenantId: string, keywordId: string): Promise<CrawledKeyword | null> {
    const [row] = await executePrepared<{ id: string; marketplace: string }>(
      em,
      `select id, marketplace, pg_advisory_xact_lock(hashtext($3))::text as locked
         from ranking.keywords where id = $1 and tenant_id = $2`,
      [keywordId, tenantId, `ranking.keyword:${keywordId}`],
    );
    return row ? { id: row.id, tenantId, marketplace: row.marketplace } : null;
  }

  /**
   * The tenant's products that matter to this crawl ({@link CONTEXT_PRODUCTS_SQL}), exclusions and the ranks of
   * the previous crawl by crawl time, in one round trip. The products are those on the shelf (`shelfExternalIds`:
   * own products are never competitors) and those tracked on the keyword, not the whole catalogue: reading every
   * product of the tenant on the marketplace cost a crawl 480 rows for a 900-product tenant, and grew with the
   * catalogue.
   */
  async loadRankingContext(
    em: EntityManager,
    keyword: CrawledKeyword,
    crawl: CrawlOrder,
    shelfExternalIds: readonly string[],
  ): Promise<RankingContext> {
    const [row] = await executePrepared<{
      products: { id: string; external_id: string; currency: string; price: number; tracked: boolean }[];
      exclusions: { kind: string; value: string }[];
      previous: { product_id: string; rank: number | null }[];
    }>(
      em,
      `select
         (select coalesce(json_agg(p order by p.id), '[]') from (${CONTEXT_PRODUCTS_SQL}) p) as products,
         (select coalesce(json_agg(json_build_object('kind', e.kind, 'value', e.value)), '[]')
            from ranking.exclusions e where e.tenant_id = $2) as exclusions,
         (select coalesce(json_agg(json_build_object('product_id', s.product_id, 'rank', s.rank)), '[]')
            from ranking.standings s
           where s.crawl_id = (select c.crawl_id from ranking.crawls c
                                where c.keyword_id = $1 and (c.crawled_at, c.crawl_id) < ($5::timestamptz, $6::uuid)
                                order by c.crawled_at desc, c.crawl_id desc limit 1)) as previous`,
      [
        keyword.id,
        keyword.tenantId,
        keyword.marketplace,
        [...new Set(shelfExternalIds)],
        crawl.crawledAt,
        crawl.crawlId,
      ],
    );
    const products = row?.products ?? [];
    const exclusions = row?.exclusions ?? [];
    const previous = row?.previous ?? [];
    return {
      ownProducts: products.map((p) => ({
        productId: p.id,
        externalId: p.external_id,
        price: Number(p.price),
        currency: productCurrency(p),
      })),
      trackedProductIds: products.filter((p) => p.tracked).map((p) => p.id),
      exclusions: {
        externalIds: new Set(exclusions.filter((e) => e.kind === 'product').map((e) => e.value)),
        malls: new Set(exclusions.filter((e) => e.kind === 'mall').map((e) => normalizeMall(e.value))),
      },
      previousRanks: new Map(previous.map((s) => [s.product_id, s.rank])),
    };
  }

  /**
   * Stores the crawl, every shelf row and every standing in one statement (one round trip in the handler's
   * transaction): the crawl's insert and the standings' are data-modifying CTEs of the rows' insert, rows and
   * standings each one `unnest` of per-column arrays. The rows go into the partitioned table, which routes them
   * by `crawled_at` to the day's partition (or the default one).
   */
  async saveRecordedCrawl(em: EntityManager, crawl: RecordedCrawl): Promise<void> {
    const { crawlId, keyword, crawledAt, recordedAt } = crawl;
    const shelf = crawl.entries.map((entry, index) => ({ entry, title: crawl.items[index]?.title ?? '' }));
    const rows = unnestInsert(
      'ranking.ranking_rows',
      [
        { name: 'tenant_id', type: 'uuid', value: keyword.tenantId },
        { name: 'keyword_id', type: 'uuid', value: keyword.id },
        { name: 'crawl_id', type: 'uuid', value: crawlId },
        { name: 'crawled_at', type: 'timestamptz', value: crawledAt },
      ],
      ROW_COLUMNS,
      shelf,
    );
    const standings = unnestInsert(
      'ranking.standings',
      [
        { name: 'crawl_id', type: 'uuid', value: crawlId },
        { name: 'keyword_id', type: 'uuid', value: keyword.id },
        { name: 'tenant_id', type: 'uuid', value: keyword.tenantId },
        { name: 'recorded_at', type: 'timestamptz', value: recordedAt },
      ],
      STANDING_COLUMNS,
      crawl.standings,
    );
    // Bound, not escaped into the text: the arrays of a crawl's rows are tens of kilobytes. One text whatever the
    // number of rows (arrays), so prepared.
    await executePrepared(
      em,
      numberedPlaceholders(
        `with crawl as (
           insert into ranking.crawls (crawl_id, tenant_id, keyword_id, crawled_at, item_count, recorded_at, order_fidelity)
           values (?, ?, ?, ?::timestamptz, ?, ?::timestamptz, ?)
         ), standings as (${standings.sql})
         ${rows.sql}`,
      ),
      [
        ...[crawlId, keyword.tenantId, keyword.id, crawledAt, crawl.items.length, recordedAt, crawl.orderFidelity],
        ...standings.params,
        ...rows.params,
      ],
    );
  }

  /** The crawl recorded already that follows `crawl` by crawl time, with its standings; null when none. */
  async loadSuccessor(
    em: EntityManager,
    keywordId: string,
    crawl: CrawlOrder,
  ): Promise<{ crawlId: string; orderFidelity: OrderFidelity; standings: Standing[] } | null> {
    const rows = await executePrepared<SuccessorRow>(
      em,
      `select s.crawl_id, c.order_fidelity, ${STORED_STANDING_COLUMNS}
         from ranking.standings s
         join ranking.crawls c on c.crawl_id = s.crawl_id
        where s.crawl_id = (select c.crawl_id from ranking.crawls c
                             where c.keyword_id = $1 and (c.crawled_at, c.crawl_id) > ($2::timestamptz, $3::uuid)
                             order by c.crawled_at, c.crawl_id limit 1)
        order by s.product_id`,
      [keywordId, crawl.crawledAt, crawl.crawlId],
    );
    const [first] = rows;
    return first
      ? { crawlId: first.crawl_id, orderFidelity: first.order_fidelity, standings: rows.map(toStoredStanding) }
      : null;
  }

  /** Rewrites the previous rank and change of a crawl's standings: one statement. */
  async saveRestatedStandings(em: EntityManager, crawlId: string, standings: readonly Standing[]): Promise<void> {
    if (standings.length === 0) {
      return;
    }
    await em.execute(
      `update ranking.standings s set previous_rank = v.previous_rank, change = v.change
         from (values ${standings.map(() => '(?::uuid, ?::integer, ?::integer)').join(', ')})
           as v (product_id, previous_rank, change)
        where s.crawl_id = ? and s.product_id = v.product_id`,
      [...standings.flatMap((s) => [s.productId, s.previousRank, s.change]), crawlId],
      'run',
    );
  }
}
