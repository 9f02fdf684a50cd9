import { Client } from 'pg';
import { ServedAnswer } from '../../tools/marketplace-sim/src';
import { Finding, FaultWindow, finding } from './finding';
import { LedgerEntry } from './workload';

/** What the simulator served for a query at a simulated moment (its served log). */
export type ServedLookup = (query: string, at: string) => ServedAnswer | undefined;

interface RunRow {
  crawl_id: string;
  status: string;
  finished_at: Date | null;
  failure_code: string | null;
}

/**
 * Every crawl in the workload's ledger ended `completed`, or `failed` inside an injected fault window (up to
 * `graceMs` after it ended, the crawler's own retries) and a re-request of it (a later entry of the ledger
 * naming it) completed in the end. Minimum: one completed crawl per keyword and round.
 */
export async function crawlsCompletedOrRepaired(
  db: Client,
  ledger: readonly LedgerEntry[],
  windows: readonly FaultWindow[],
  graceMs: number,
  minimum: number,
): Promise<Finding> {
  const { rows } = await db.query<RunRow>(
    'select crawl_id, status, finished_at, failure_code from crawler.crawl_runs where crawl_id = any($1::uuid[])',
    [ledger.map((entry) => entry.crawlId)],
  );
  const runs = new Map(rows.map((row) => [row.crawl_id, row]));
  const retryOf = new Map(ledger.filter((e) => e.retryOf !== undefined).map((e) => [e.retryOf ?? '', e.crawlId]));
  const repaired = (crawlId: string, depth = 0): boolean => {
    const next = retryOf.get(crawlId);
    const status = next === undefined ? undefined : runs.get(next)?.status;
    return next !== undefined && depth < ledger.length && (status === 'completed' || repaired(next, depth + 1));
  };
  const failures: string[] = [];
  let completed = 0;
  let failedInWindow = 0;
  for (const entry of ledger) {
    const run = runs.get(entry.crawlId);
    if (run?.status === 'completed') {
      completed++;
    } else if (run?.status === 'failed') {
      const at = run.finished_at?.getTime() ?? 0;
      const window = windows.find((w) => at >= w.at && at <= w.endedAt + graceMs);
      failedInWindow += window === undefined ? 0 : 1;
      if (window === undefined) {
        failures.push(
          `${entry.crawlId} failed (${run.failure_code}) at ${new Date(at).toISOString()}, in no fault window`,
        );
      } else if (!repaired(entry.crawlId)) {
        failures.push(`${entry.crawlId} failed (${run.failure_code}) in "${window.fault}" and no re-request completed`);
      }
    } else {
      failures.push(`${entry.crawlId} (${entry.keywordText}, round ${entry.round}) ${run?.status ?? 'lost'}`);
    }
  }
  return finding(
    'every requested crawl completed, or failed in a fault window and a re-request completed',
    minimum,
    completed,
    failures,
    `${ledger.length} requested: ${completed} completed, ${failedInWindow} failed in a fault window`,
  );
}

/**
 * The ranking rows stored for every completed crawl equal, rank for rank, what the simulator served for its
 * keyword at its round's simulated moment: same external id and price (a listing served without a price,
 * `lprice: ""`, is stored with none), none missing, none extra or twice.
 * Minimum: the rows a full page per keyword and round makes.
 */
export async function rowsEqualServed(
  db: Client,
  ledger: readonly LedgerEntry[],
  roundClock: readonly string[],
  served: ServedLookup,
  minimum: number,
): Promise<Finding> {
  const { rows } = await db.query<{ crawl_id: string; shelf: string[] }>(
    `select r.crawl_id, array_agg(r.rank || ' ' || r.external_id || ' ' || coalesce(r.price::float8, 0) order by r.rank) as shelf
       from ranking.ranking_rows r join crawler.crawl_runs c using (crawl_id)
      where c.crawl_id = any($1::uuid[]) and c.status = 'completed'
      group by r.crawl_id`,
    [ledger.map((entry) => entry.crawlId)],
  );
  const stored = new Map(rows.map((row) => [row.crawl_id, row.shelf]));
  const { rows: completedRows } = await db.query<{ crawl_id: string }>(
    `select crawl_id from crawler.crawl_runs where crawl_id = any($1::uuid[]) and status = 'completed'`,
    [ledger.map((entry) => entry.crawlId)],
  );
  const completed = new Set(completedRows.map((row) => row.crawl_id));
  const failures: string[] = [];
  let observed = 0;
  for (const entry of ledger.filter((e) => completed.has(e.crawlId))) {
    const answer = served(entry.keywordText, roundClock[entry.round] ?? '');
    const expected = (answer?.items ?? []).map((item) => `${item.rank} ${item.productId} ${item.lprice}`);
    const shelf = stored.get(entry.crawlId) ?? [];
    observed += shelf.length;
    if (answer === undefined || answer.conflicts > 0) {
      failures.push(
        `${entry.crawlId}: the simulator ${answer === undefined ? 'served nothing' : 'contradicted itself'}`,
      );
    } else if (shelf.join('|') !== expected.join('|')) {
      const first = expected.findIndex((line, i) => shelf[i] !== line);
      failures.push(
        `${entry.crawlId} (${entry.keywordText}, round ${entry.round}): ${shelf.length} rows stored, ${expected.length} served; first difference at ${first}: "${shelf[first] ?? 'none'}" vs "${expected[first] ?? 'none'}"`,
      );
    }
  }
  return finding(
    'ranking rows of every completed crawl equal what the simulator served for it',
    minimum,
    observed,
    failures,
    `${completed.size} completed crawls, ${observed} rows compared with the served log`,
  );
}
