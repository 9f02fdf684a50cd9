import { EntityManager } from '@mikro-orm/postgresql';
import { RankingEntry, RankingLatestView, countWithinBytes } from '@shelfwatch/contracts';
import { RankingError } from '../ranking.errors';
import { toStoredStanding } from './rankings.repository';

/** The latest recorded crawl of a keyword: the standings of its tracked products and the shelf, bounded. */
export type LatestRanking = RankingLatestView;

interface EntryRow {
  rank: number;
  external_id: string;
  product_id: string | null;
  title: string;
  mall: string;
  price: number | null;
  brand: string;
  excluded: boolean;
}

function toEntry(row: EntryRow): RankingEntry & { title: string } {
  const { rank, title, mall, brand, excluded } = row;
  return {
    rank,
    externalId: row.external_id,
    productId: row.product_id,
    title,
    mall,
    price: row.price === null ? null : Number(row.price),
    brand,
    excluded,
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
  const [crawl] = await em.execute<{ crawl_id: string; crawled_at: Date; recorded_at: Date }[]>(
    `select crawl_id, crawled_at, recorded_at from ranking.crawls
      where keyword_id = ? and tenant_id = ? order by crawled_at desc, crawl_id desc limit 1`,
    [keywordId, tenantId],
  );
  if (!crawl) {
    return { keywordId, crawl: null, standings: [], entries: [], nextRank: null };
  }
  const standings = await em.execute<Parameters<typeof toStoredStanding>[0][]>(
    `select product_id, rank, previous_rank, change, my_price::float8 as my_price, price_source, observed_mall,
            catalog_price::float8 as catalog_price, lowest_competitor_price::float8 as lowest_competitor_price, lowest_competitor_external_id,
            lowest_competitor_mall, lowest_competitor_rank
       from ranking.standings where crawl_id = ? order by product_id`,
    [crawl.crawl_id],
  );
  const entries = await em.execute<EntryRow[]>(
    `select rank, external_id, product_id, title, mall, price::float8 as price, brand, excluded
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
    },
    standings: standings.map(toStoredStanding),
    entries: shelf.slice(0, fit),
    nextRank: shelf[fit]?.rank ?? null,
  };
}
