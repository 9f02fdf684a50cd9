import { randomUUID } from 'node:crypto';
import { STREAMS } from '@shelfwatch/contracts';
import { eventually, untilOutboxDrained } from '@shelfwatch/testing';
import { histogramCount } from '../../../libs/resilience/test/metric-value';
import { ProductView } from '../src/catalog/products.service';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, eventsOn, publish, query } from './ranking.fixtures';

const KEYWORDS = ['desk lamp', 'floor lamp', 'reading lamp'];
const CRAWLS_PER_KEYWORD = 5;

/** What a run left: per keyword and crawl (by index), the standings, the rows and the events it published. */
interface Outcome {
  standings: unknown[];
  rows: unknown[];
  recorded: unknown[];
  /** Handler invocations timed for the crawl consumer: one per message, or one per batch. */
  handlings: number;
}

/**
 * The ranking in batch mode (`RANKING_CONSUMER_BATCH_SIZE=16`: one transaction for the crawls
 * buffered while the previous batch committed) against one crawl per transaction: three keywords' crawls
 * published at once, each keyword's out of crawl-time order, two of them twice under other message ids.
 * Both must end with the same standings, rows and events.
 */
describe('ranking applies crawls in batches as it does one per transaction', () => {
  async function run(batchSize: string): Promise<Outcome> {
    const sut = await bootRanking({ RANKING_CONSUMER_BATCH_SIZE: batchSize });
    try {
      return await scenario(sut);
    } finally {
      await sut.booted.stop();
    }
  }

  async function scenario(sut: RankingUnderTest): Promise<Outcome> {
    const tenantId = randomUUID();
    const product = await sut.rpc.request<ProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'own-1',
      name: 'Lamp',
      price: 10_000,
      keywords: KEYWORDS,
    });
    const keywordIds = KEYWORDS.map((text) => product.keywords.find((k) => k.keyword === text)?.keywordId ?? '');
    // Keyword k, crawl i: my product at a rank that moves up and down, rivals' prices around mine.
    const crawls = keywordIds.map((keywordId, k) =>
      Array.from({ length: CRAWLS_PER_KEYWORD }, (_, i) => {
        const mine = ((i * 3 + k * 2) % 7) + 1;
        const items = Array.from({ length: 8 }, (_, slot) =>
          slot + 1 === mine
            ? anItem(slot + 1, 'own-1', { price: 10_000 })
            : anItem(slot + 1, `rival-${(slot + i) % 9}`, { price: 9_000 + ((slot * 700 + i * 300) % 2_500) }),
        );
        return aCrawlCompleted(tenantId, keywordId, items, {
          keyword: KEYWORDS[k],
          completedAt: new Date(Date.UTC(2026, 11, 3, 8 + i)).toISOString(),
        });
      }),
    );
    // Interleaved across keywords, each keyword's crawls in the order 2, 0, 4, 1, 3.
    const order = [2, 0, 4, 1, 3];
    const timed = () => histogramCount('shelfwatch_handler_duration_seconds', { consumer: 'ranking-crawl' });
    const timedBefore = await timed();
    const published: Promise<void>[] = [];
    for (const i of order) {
      for (const keywordCrawls of crawls) {
        const crawl = keywordCrawls[i];
        published.push(publish(sut, crawl));
      }
    }
    // Two crawls again under other message ids: past JetStream's de-duplication, stopped by the inbox.
    published.push(publish(sut, crawls[0]?.[4], `again-${randomUUID()}`));
    published.push(publish(sut, crawls[2]?.[0], `again-${randomUUID()}`));
    await Promise.all(published);
    const nats = sut.booted.environment.nats;
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.CRAWL), 'ranking-crawl');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    }, 30_000);
    await untilOutboxDrained(sut.orm, 'ranking');

    const crawlIndex = new Map(
      crawls.flatMap((keywordCrawls, k) => keywordCrawls.map((c, i) => [c.data.crawlId, `${k}.${i}`] as const)),
    );
    const named = (crawlId: string): string => crawlIndex.get(crawlId) ?? 'unknown';
    const ownOrRival = (productId: string): string => (productId === product.id ? 'mine' : productId);
    const standings = await query<{ crawl_id: string; product_id: string }>(
      sut,
      'select crawl_id, product_id, rank, previous_rank, change from ranking.standings where tenant_id = ?',
      [tenantId],
    );
    const rows = await query<{ crawl_id: string; n: number }>(
      sut,
      'select crawl_id, count(*)::int as n from ranking.ranking_rows where tenant_id = ? group by crawl_id',
      [tenantId],
    );
    const recorded = await eventsOn(sut, 'RANKING', 'ranking.recorded');
    // Not compared: `ranking.changed`, which says whether a rank moved against the crawl recorded before it at the
    // time it arrived. Under 8 transactions at once, which crawls are recorded when one arrives is down to timing.
    const sorted = <T>(items: T[]): T[] => items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return {
      standings: sorted(
        standings.map((s) => ({ ...s, crawl_id: named(s.crawl_id), product_id: ownOrRival(s.product_id) })),
      ),
      rows: sorted(rows.map((r) => ({ ...r, crawl_id: named(r.crawl_id) }))),
      recorded: sorted(
        recorded.map((e) => ({
          crawl: named(e.data.crawlId),
          // previousRank and change say what the ranking knew when the crawl arrived: with a crawl's predecessor
          // not yet recorded they are null, and the stored standings are restated when it comes (compared above).
          standings: e.data.standings.map(({ previousRank: _p, change: _c, ...s }) => ({
            ...s,
            productId: ownOrRival(s.productId),
          })),
        })),
      ),
      handlings: (await timed()) - timedBefore,
    };
  }

  it('records the same standings, rows and events with RANKING_CONSUMER_BATCH_SIZE 16 as with 1', async () => {
    const batched = await run('16');
    const single = await run('1');

    const messages = KEYWORDS.length * CRAWLS_PER_KEYWORD + 2;
    expect(single.handlings).toBe(messages);
    // Batches did form: fewer handler runs than messages.
    expect(batched.handlings).toBeLessThan(messages);
    expect(batched.recorded).toHaveLength(KEYWORDS.length * CRAWLS_PER_KEYWORD);
    expect(batched.rows).toHaveLength(KEYWORDS.length * CRAWLS_PER_KEYWORD);
    expect({ ...batched, handlings: 0 }).toEqual({ ...single, handlings: 0 });
  });
});
