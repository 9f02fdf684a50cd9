import { randomUUID } from 'node:crypto';
import { STREAMS } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { ProductView } from '../src/catalog/products.service';
import { LatestRanking } from '../src/rankings/latest-ranking.query';
import { RankingUnderTest, aCrawlCompleted, anItem, bootRanking, eventsOn, publish, query } from './ranking.fixtures';

/** The real ranking handler: crawls of a keyword arriving out of crawl-time order. */
describe('ranking computes rank change by crawl time, not by arrival', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();
  let product: ProductView;
  let keywordId: string;

  beforeAll(async () => {
    sut = await bootRanking();
    product = await sut.rpc.request<ProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'own-1',
      name: 'Lamp',
      price: 10_000,
      keywords: ['desk lamp'],
    });
    keywordId = product.keywords[0]?.keywordId ?? '';
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  /** Waits until the ranking's crawl consumer has acknowledged everything published so far. */
  async function drained(): Promise<void> {
    const nats = sut.booted.environment.nats;
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.CRAWL), 'ranking-crawl');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
      const [row] = await query<{ n: number }>(sut, 'select count(*)::int as n from ranking.crawls');
      expect(row?.n).toBeGreaterThan(0);
    });
  }

  /** A crawl of the keyword at `minute` past noon with my product at `rank` (behind rivals). */
  function crawlAt(minute: number, rank: number) {
    const items = Array.from({ length: rank - 1 }, (_, i) => anItem(i + 1, `rival-${i}`));
    items.push(anItem(rank, 'own-1'));
    const completedAt = new Date(Date.UTC(2026, 11, 3, 12, minute)).toISOString();
    return aCrawlCompleted(tenantId, keywordId, items, { completedAt });
  }

  async function storedStandings(): Promise<Record<string, [number | null, number | null, number | null]>> {
    const rows = await query<{
      crawl_id: string;
      rank: number | null;
      previous_rank: number | null;
      change: number | null;
    }>(sut, 'select crawl_id, rank, previous_rank, change from ranking.standings where keyword_id = ?', [keywordId]);
    return Object.fromEntries(rows.map((r) => [r.crawl_id, [r.rank, r.previous_rank, r.change]]));
  }

  it('restates the later crawl when an earlier one arrives after it, so no two crawls claim the same change', async () => {
    const p = crawlAt(0, 5);
    const a = crawlAt(10, 3);
    const b = crawlAt(20, 3);
    await publish(sut, p);
    await eventually(async () => expect(Object.keys(await storedStandings())).toHaveLength(1));
    // B (later) arrives before A (earlier).
    await publish(sut, b);
    await eventually(async () => expect(Object.keys(await storedStandings())).toHaveLength(2));
    await publish(sut, a);
    await drained();

    await eventually(async () =>
      expect(await storedStandings()).toEqual({
        [p.data.crawlId]: [5, null, null],
        [a.data.crawlId]: [3, 5, 2],
        [b.data.crawlId]: [3, 3, 0],
      }),
    );
    const changes = await eventually(async () => {
      const events = await eventsOn(sut, 'RANKING', 'ranking.changed');
      expect(events).toHaveLength(3);
      return events.map((e) => e.data);
    });
    // B first claimed 5 → 3 against P; A then claimed it, and B's change was withdrawn (3 → 3, revised).
    expect(changes.map((c) => [c.crawlId, c.previousRank, c.currentRank, c.revised])).toEqual([
      [b.data.crawlId, 5, 3, false],
      [a.data.crawlId, 5, 3, false],
      [b.data.crawlId, 3, 3, true],
    ]);
    expect(changes[0]).toMatchObject({ price: 5_000, priceSource: 'observed', observedMall: 'Some Mall' });

    const latest = await sut.rpc.request<LatestRanking>('ranking.keyword.latest', { tenantId, keywordId });
    expect(latest.crawl?.crawlId).toBe(b.data.crawlId);
    expect(latest.standings[0]).toMatchObject({ rank: 3, previousRank: 3, change: 0 });
  });
});
