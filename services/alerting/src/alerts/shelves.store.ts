import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ShelfCompetitor } from '../rules/alert-rules';

/** What the alerting remembers of a keyword's last evaluated crawl. */
export interface ShelfMemory {
  /** When the last evaluated crawl completed (its `recordedAt` if its event predates `crawledAt`); null before the first. */
  crawledAt: Date | null;
  top: ShelfCompetitor[];
}

/** Ranks of competitors remembered per keyword: enough for any "new competitor" top N (at most 100). */
export const REMEMBERED_RANKS = 100;

/** The last evaluated shelf of each keyword (for "new competitor" and for ignoring stale crawls). */
@Injectable()
export class ShelvesStore {
  /**
   * Reads a keyword's memory and locks it for the caller's transaction, creating it on first use, so that
   * two crawls of one keyword are evaluated one after the other.
   */
  async lock(em: EntityManager, tenantId: string, keywordId: string): Promise<ShelfMemory> {
    await em.execute(
      `insert into alerting.keyword_shelves (keyword_id, tenant_id, recorded_at, crawled_at)
       values (?, ?, '-infinity', '-infinity')
       on conflict do nothing`,
      [keywordId, tenantId],
      'run',
    );
    const [row] = await em.execute<{ crawl_id: string | null; crawled_at: Date | string; top: ShelfCompetitor[] }[]>(
      'select crawl_id, crawled_at, top from alerting.keyword_shelves where keyword_id = ? and tenant_id = ? for update',
      [keywordId, tenantId],
    );
    if (!row || row.crawl_id === null) {
      return { crawledAt: null, top: [] };
    }
    return { crawledAt: new Date(row.crawled_at), top: row.top };
  }

  async save(
    em: EntityManager,
    keywordId: string,
    memory: { crawlId: string; crawledAt: Date; recordedAt: Date; top: ShelfCompetitor[] },
  ): Promise<void> {
    await em.execute(
      'update alerting.keyword_shelves set crawl_id = ?, crawled_at = ?, recorded_at = ?, top = ?::jsonb where keyword_id = ?',
      [memory.crawlId, memory.crawledAt, memory.recordedAt, JSON.stringify(memory.top), keywordId],
      'run',
    );
  }
}
