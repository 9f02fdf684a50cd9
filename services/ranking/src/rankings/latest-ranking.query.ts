import { EntityManager } from '@mikro-orm/postgresql';
import {
  Availability,
  OrderFidelity,
  Placement,
  RankingEntry,
  RankingLatestView,
  countWithinBytes,
} from '@shelfwatch/contracts';
import { RankingError } from '../ranking.errors';
import { STORED_STANDING_COLUMNS, toStoredStanding } from './rankings.store';

/** The latest recorded crawl of a keyword: the standings of its tracked products and the shelf, bounded. */
export type LatestRanking = RankingLatestView;

/** A stored ranking row as the shelf queries read it. */
export interface EntryRow {
  rank: number;
  external_id: string;
  product_id: string | null;
  title: string;
  mall: string;
  price: number | null;
  brand: string;
  excluded: boolean;
  currency: string;
  seller_id: string | null;
  availability: Availability | null;
  review_count: number | null;
  review_rating: number | null;
  placement: Placement;
  condition: string | null;
}

function toEntry(row: EntryRow): RankingEntry & { title: string } {
  const { rank, title, mall, brand, excluded, currency, availability, placement, condition } = row;
  return {
    rank,
    externalId: row.external_id,
    productId: row.product_id,
    title,
    mall,
    price: row.price === null ? null : Number(row.price),
    brand,
    excluded,
    currency,
    sellerId: row.seller_id,
    availability,
    reviewCount: row.review_count,
    reviewRating: row.review_rating === null ? null : Number(row.review_rating),
    placement,
    condition,
  };
}

/** The tenant's latest ranking of a keyword; another tenant's or an unknown keyword answers not found. */
export async function latestRanking(
  em: EntityManager,
  tenantId: string,
  keywordId: string,
  fromRank = 1,
): Promise<LatestRanking> {
  const [keyword] = await em.execute<{ id: string }[]>(
    'select id from ranking.keywords where id = ? and tenant_id = ?',
    [keywordId, tenantId],
  );
  if (!keyword) {
    throw RankingError.notFound('keyword', keywordId);
  }
  const [crawl] = await em.execute<
    { crawl_id: string; crawled_at: Date; recorded_at: Date; order_fidelity: OrderFidelity }[]
  >(
    `select crawl_id, crawled_at, recorded_at, order_fidelity from ranking.crawls
      where keyword_id = ? and tenant_id = ? order by crawled_at desc, crawl_id desc limit 1`,
    [keywordId, tenantId],
  );
  if (!crawl) {
    return { keywordId, crawl: null, standings: [], entries: [], nextRank: null };
  }
  const standings = await em.execute<Parameters<typeof toStoredStanding>[0][]>(
    `select ${STORED_STANDING_COLUMNS} from ranking.standings s where s.crawl_id = ? order by s.product_id`,
    [crawl.crawl_id],
  );
  const entries = await em.execute<EntryRow[]>(
    `select rank, external_id, product_id, title, mall, price::float8 as price, brand, excluded, currency, seller_id,
            availability, review_count, review_rating::float8 as review_rating, placement, condition
       from ranking.ranking_rows where crawl_id = ? and rank >= ? order by rank`,
    [crawl.crawl_id, fromRank],
  );
  const shelf = entries.map(toEntry);
  const fit = countWithinBytes(shelf);
  return {
    keywordId,
    crawl: {
      crawlId: crawl.crawl_id,
      crawledAt: new Date(crawl.crawled_at).toISOString(),
      recordedAt: new Date(crawl.recorded_at).toISOString(),
      orderFidelity: crawl.order_fidelity,
    },
    standings: standings.map(toStoredStanding),
    entries: shelf.slice(0, fit),
    nextRank: shelf[fit]?.rank ?? null,
  };
}
