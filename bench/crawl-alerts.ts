/** The crawl bench's alert side: when each crawl was requested and its alert arrived, and why one did not. */
import { Msg, NatsConnection } from '@nats-io/transport-node';
import { CrawlerCrawlRequested } from '@shelfwatch/contracts';
import { RpcClient, Topology } from '@shelfwatch/messaging';
import { eventually, pause } from '@shelfwatch/testing';
import { Client } from 'pg';
import { percentile } from './bench-report';
import { Latency } from './crawl-report';

/** When each crawl was requested, completed and when its first `alert.raised` arrived (bench-process clock). */
export class AlertClock {
  readonly requested = new Map<string, number>();
  /** When each crawl's `crawl.completed` was first seen: the shelf as the marketplace showed it, recorded. */
  readonly completed = new Map<string, number>();
  readonly arrived = new Map<string, number>();

  listen(nc: NatsConnection, topology: Topology): void {
    const firstSeen = (seen: Map<string, number>) => (error: Error | null, message: Msg) => {
      const at = performance.now();
      const crawlId = error ? undefined : crawlIdOf(message.string());
      if (crawlId !== undefined && !seen.has(crawlId)) {
        seen.set(crawlId, at);
      }
    };
    nc.subscribe(topology.subject('alert.raised'), { callback: firstSeen(this.arrived) });
    nc.subscribe(topology.subject('crawl.completed'), { callback: firstSeen(this.completed) });
  }

  /** From the crawl's request (queueing before the crawl included), or from its `crawl.completed`, to its alert. */
  latency(crawlIds: readonly string[], from: 'requested' | 'completed' = 'requested'): Latency {
    const start = from === 'requested' ? this.requested : this.completed;
    const sample = crawlIds
      .map((id) => (this.arrived.get(id) ?? Number.NaN) - (start.get(id) ?? Number.NaN))
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    return {
      count: sample.length,
      p50: percentile(sample, 50),
      p95: percentile(sample, 95),
      p99: percentile(sample, 99),
    };
  }

  async awaitAll(crawlIds: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!crawlIds.every((id) => this.arrived.has(id)) && performance.now() < deadline) {
      await pause(100);
    }
  }
}

function crawlIdOf(text: string): string | undefined {
  const envelope: unknown = JSON.parse(text);
  if (typeof envelope === 'object' && envelope !== null && 'data' in envelope) {
    const data: unknown = envelope.data;
    if (typeof data === 'object' && data !== null && 'crawlId' in data && typeof data.crawlId === 'string') {
      return data.crawlId;
    }
  }
  return undefined;
}

export async function requestCrawl(
  rpc: RpcClient,
  tenantId: string,
  keywordId: string,
  clock: AlertClock,
): Promise<string> {
  return eventually(
    async () => {
      const sentAt = performance.now();
      const { crawlId } = await rpc.request<CrawlerCrawlRequested>('crawler.crawl.request', { tenantId, keywordId });
      clock.requested.set(crawlId, sentAt);
      return crawlId;
    },
    60_000,
    100,
  );
}

/** What became of crawls whose alert never arrived: their crawl status and whether the alert was stored. */
export async function diagnose(url: string, crawlIds: string[]): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ status: string; count: string }>(
      `select coalesce(status || ':' || failure_code, status) as status, count(*) from crawler.crawl_runs
       where crawl_id = any($1::uuid[]) group by 1`,
      [crawlIds],
    );
    const stored = await client.query<{ count: string }>(
      'select count(*) from alerting.alerts where crawl_id = any($1::uuid[])',
      [crawlIds],
    );
    const evaluated = await client.query<{ count: string }>(
      'select count(*) from alerting.keyword_shelves where crawl_id = any($1::uuid[])',
      [crawlIds],
    );
    const own = await client.query<{ count: string }>(
      'select count(*) from ranking.ranking_rows where crawl_id = any($1::uuid[]) and product_id is not null',
      [crawlIds],
    );
    return {
      ...Object.fromEntries(rows.map((row) => [`crawl ${row.status}`, Number(row.count)])),
      'own product on the stored shelf': Number(own.rows[0]?.count ?? 0),
      'evaluated by alerting (shelf memory)': Number(evaluated.rows[0]?.count ?? 0),
      'alert stored': Number(stored.rows[0]?.count ?? 0),
    };
  } finally {
    await client.end();
  }
}
