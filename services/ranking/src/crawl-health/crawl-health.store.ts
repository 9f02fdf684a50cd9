import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { executePrepared } from '@shelfwatch/persistence';
import { CrawlOutcome } from './crawl-health';

/** Failures kept per keyword while it keeps failing; `consecutiveFailures` counts up to this. */
export const KEPT_FAILURES = 100;

interface OutcomeRow {
  keyword_id: string;
  crawl_id: string;
  at: Date | string;
  ok: boolean;
  failure_code: string | null;
  failure_message: string | null;
}

/** The outcomes of the tenant ($1) for a list of keywords ($2, an array: one prepared statement whatever its length). */
const OUTCOMES_OF_KEYWORDS = `select keyword_id, crawl_id, at, ok, failure_code, failure_message
   from ranking.keyword_crawl_outcomes where tenant_id = $1 and keyword_id = any($2::uuid[])`;

function toOutcome(row: OutcomeRow): CrawlOutcome {
  const at = new Date(row.at);
  return row.ok
    ? { kind: 'completed', crawlId: row.crawl_id, at }
    : { kind: 'failed', crawlId: row.crawl_id, at, code: row.failure_code ?? '', message: row.failure_message ?? '' };
}

/**
 * Final crawl outcomes per keyword (`ranking.keyword_crawl_outcomes`): the latest completed crawl and the
 * failures after it are all a keyword's health needs, so older rows are dropped as newer ones arrive.
 */
@Injectable()
export class CrawlHealthStore {
  /** Records one outcome of a keyword the tenant tracks (else nothing); a crawl's outcome is recorded once. */
  async record(em: EntityManager, tenantId: string, keywordId: string, outcome: CrawlOutcome): Promise<void> {
    const failure = outcome.kind === 'failed' ? outcome : null;
    await executePrepared(
      em,
      `insert into ranking.keyword_crawl_outcomes (crawl_id, keyword_id, tenant_id, at, ok, failure_code, failure_message)
       select $1::uuid, k.id, k.tenant_id, $2::timestamptz, $3::boolean, $4::text, $5::text
         from ranking.keywords k where k.id = $6 and k.tenant_id = $7
       on conflict (crawl_id) do nothing`,
      [
        outcome.crawlId,
        outcome.at,
        failure === null,
        failure?.code ?? null,
        failure?.message ?? null,
        keywordId,
        tenantId,
      ],
    );
    // Keep the latest completed crawl, and at most KEPT_FAILURES failures after it.
    await executePrepared(
      em,
      `delete from ranking.keyword_crawl_outcomes o
        where o.keyword_id = $1
          and (o.at < (select max(at) from ranking.keyword_crawl_outcomes where keyword_id = $1 and ok)
               or o.crawl_id in (select crawl_id from ranking.keyword_crawl_outcomes
                                  where keyword_id = $1 and not ok order by at desc offset $2))`,
      [keywordId, KEPT_FAILURES],
    );
  }

  /** The recorded outcomes of these keywords of the tenant, by keyword id. */
  async ofKeywords(em: EntityManager, tenantId: string, keywordIds: string[]): Promise<Map<string, CrawlOutcome[]>> {
    const byKeyword = new Map<string, CrawlOutcome[]>();
    if (keywordIds.length === 0) {
      return byKeyword;
    }
    const rows = await executePrepared<OutcomeRow>(em, OUTCOMES_OF_KEYWORDS, [tenantId, keywordIds]);
    for (const row of rows) {
      byKeyword.set(row.keyword_id, [...(byKeyword.get(row.keyword_id) ?? []), toOutcome(row)]);
    }
    return byKeyword;
  }
}
