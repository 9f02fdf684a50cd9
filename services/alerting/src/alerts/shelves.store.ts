import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Standing } from '@shelfwatch/contracts';
import { executePrepared } from '@shelfwatch/persistence';
import { ShelfCompetitor } from '../rules/alert-rules';

/** The last judged crawl of a keyword, as the alerting remembers it. */
export interface JudgedCrawl {
  crawlId: string;
  /** When it was made (its `recordedAt` if its event predates `crawledAt`). */
  crawledAt: Date;
  top: ShelfCompetitor[];
  /** Its standings as judged; null on memories written before they were kept (never judged again). */
  standings: Standing[] | null;
  /** The crawl time of the latest crawl seen before it (judged or late); null when none was. */
  previousCrawledAt: Date | null;
}

/** What the alerting remembers of a keyword's last judged crawl; null before the first. */
export type ShelfMemory = JudgedCrawl | null;

/** Ranks of competitors remembered per keyword: enough for any "new competitor" top N (at most 100). */
export const REMEMBERED_RANKS = 100;

interface ShelfRow {
  crawl_id: string | null;
  crawled_at: Date | string;
  top: ShelfCompetitor[];
  standings: Standing[] | null;
  previous_crawled_at: Date | string | null;
}

/** The last judged shelf of each keyword (for "new competitor", for ignoring stale crawls, for judging again). */
@Injectable()
export class ShelvesStore {
  /**
   * Reads a keyword's memory and locks it for the caller's transaction, creating it on first use, so that
   * two crawls of one keyword are evaluated one after the other.
   */
  async lock(em: EntityManager, tenantId: string, keywordId: string): Promise<ShelfMemory> {
    await executePrepared(
      em,
      `insert into alerting.keyword_shelves (keyword_id, tenant_id, recorded_at, crawled_at)
       values ($1, $2, '-infinity', '-infinity')
       on conflict do nothing`,
      [keywordId, tenantId],
    );
    const [row] = await executePrepared<ShelfRow>(
      em,
      `select crawl_id, crawled_at, top, standings, previous_crawled_at
         from alerting.keyword_shelves where keyword_id = $1 and tenant_id = $2 for update`,
      [keywordId, tenantId],
    );
    if (!row || row.crawl_id === null) {
      return null;
    }
    return {
      crawlId: row.crawl_id,
      crawledAt: new Date(row.crawled_at),
      top: row.top,
      standings: row.standings,
      previousCrawledAt: row.previous_crawled_at === null ? null : new Date(row.previous_crawled_at),
    };
  }

  /** Remembers a newly judged crawl. */
  async save(em: EntityManager, keywordId: string, judged: JudgedCrawl & { recordedAt: Date }): Promise<void> {
    await executePrepared(
      em,
      `update alerting.keyword_shelves set crawl_id = $1, crawled_at = $2, recorded_at = $3, top = $4::jsonb,
              standings = $5::jsonb, previous_crawled_at = $6
        where keyword_id = $7`,
      [
        judged.crawlId,
        judged.crawledAt,
        judged.recordedAt,
        JSON.stringify(judged.top),
        JSON.stringify(judged.standings),
        judged.previousCrawledAt,
        keywordId,
      ],
    );
  }

  /**
   * Drops a product's standing from the remembered standings (of one keyword, if given), so that judging a
   * crawl again never raises about a product no longer tracked there.
   */
  async forgetProduct(em: EntityManager, tenantId: string, productId: string, keywordId?: string): Promise<void> {
    await em.execute(
      `update alerting.keyword_shelves
          set standings = coalesce((select jsonb_agg(s) from jsonb_array_elements(standings) s
                                     where s->>'productId' <> ?), '[]'::jsonb)
        where tenant_id = ? and (?::uuid is null or keyword_id = ?) and standings @> ?::jsonb`,
      [productId, tenantId, keywordId ?? null, keywordId ?? null, JSON.stringify([{ productId }])],
      'run',
    );
  }

  /** Remembers a late crawl as the latest seen before the judged one. */
  async savePrevious(em: EntityManager, keywordId: string, previousCrawledAt: Date): Promise<void> {
    await em.execute(
      'update alerting.keyword_shelves set previous_crawled_at = ? where keyword_id = ?',
      [previousCrawledAt, keywordId],
      'run',
    );
  }
}
