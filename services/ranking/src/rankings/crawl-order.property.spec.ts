import { CrawlItem, EventData, Standing } from '@shelfwatch/contracts';
import fc from 'fast-check';
import { CrawlOrder, compareCrawls, rankChanges, restateSuccessor } from './rank-changes';
import { OwnProduct, computeStandings } from './standings';

const KEYWORD = '0193a000-0000-7000-8000-000000000002';
const own: OwnProduct[] = [0, 1, 2].map((i) => ({
  productId: `p-${i}`,
  externalId: `own-${i}`,
  price: 1_000,
  currency: 'KRW',
}));
const LISTINGS = ['own-0', 'own-1', 'own-2', 'rival-0', 'rival-1', 'rival-2'];

interface Crawl extends CrawlOrder {
  items: CrawlItem[];
}

function anItem(rank: number, externalId: string): CrawlItem {
  const base = { title: externalId, mall: 'm', brand: 'b', maker: 'm', category: 'c', link: 'l', image: 'i' };
  return { ...base, rank, externalId, price: 500 + rank, productType: '1' };
}

/** Crawls of one keyword: few distinct crawl times (so ties occur), shelves where my products move, leave, return. */
const crawls = fc
  .array(fc.record({ minute: fc.integer({ min: 0, max: 4 }), shelf: fc.shuffledSubarray(LISTINGS) }), {
    minLength: 1,
    maxLength: 7,
  })
  .map((specs) =>
    specs.map(({ minute, shelf }, i): Crawl => ({
      crawlId: `00000000-0000-4000-8000-${String(9 - i).padStart(12, '0')}`,
      crawledAt: new Date(Date.UTC(2026, 11, 3, 12, minute)).toISOString(),
      items: shelf.map((externalId, r) => anItem(r + 1, externalId)),
    })),
  );

type Changed = EventData<'ranking.changed'>;

/** What the ranking stores and emits, recording crawls in the given arrival order as the service does. */
function recordAll(arrivals: readonly Crawl[]): { stored: Map<string, Standing[]>; events: Changed[] } {
  const stored = new Map<string, Standing[]>();
  const recorded: Crawl[] = [];
  const events: Changed[] = [];
  const ranksOf = (standings: readonly Standing[]) => new Map(standings.map((s) => [s.productId, s.rank]));
  for (const crawl of arrivals) {
    const before = recorded
      .filter((c) => compareCrawls(c, crawl) < 0)
      .sort(compareCrawls)
      .at(-1);
    const after = recorded.filter((c) => compareCrawls(c, crawl) > 0).sort(compareCrawls)[0];
    const previousRanks = before ? ranksOf(stored.get(before.crawlId) ?? []) : new Map<string, number | null>();
    const { standings } = computeStandings({
      items: crawl.items,
      shelfCurrency: 'KRW',
      ownProducts: own,
      trackedProductIds: own.map((p) => p.productId),
      exclusions: { externalIds: new Set(), malls: new Set() },
      previousRanks,
    });
    stored.set(crawl.crawlId, standings);
    recorded.push(crawl);
    events.push(
      ...rankChanges({ crawlId: crawl.crawlId, keywordId: KEYWORD, orderFidelity: 'exact' }, standings, previousRanks),
    );
    if (after) {
      const ref = { crawlId: after.crawlId, keywordId: KEYWORD, orderFidelity: 'exact' as const };
      const restated = restateSuccessor(ref, stored.get(after.crawlId) ?? [], ranksOf(standings));
      stored.set(after.crawlId, restated.standings);
      events.push(...restated.changes);
    }
  }
  return { stored, events };
}

/** The change each (crawl, product) finally claims: its last event, "no change" (equal ranks) left out. */
function claimedChanges(events: readonly Changed[]): string[] {
  const last = new Map(events.map((e) => [`${e.crawlId}/${e.productId}`, e]));
  return [...last.entries()]
    .filter(([, e]) => e.previousRank !== e.currentRank)
    .map(([key, e]) => `${key}: ${e.previousRank} -> ${e.currentRank}`)
    .sort();
}

const previousAndChange = (stored: Map<string, Standing[]>) =>
  Object.fromEntries([...stored].map(([id, standings]) => [id, standings.map((s) => [s.previousRank, s.change])]));

describe('rank change by crawl time, whatever the arrival order (properties)', () => {
  it('stores the previous rank and change of every crawl as in-order arrival does', () => {
    fc.assert(
      fc.property(
        crawls.chain((all) => fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length }))),
        ([all, arrivals]) => {
          const inOrder = recordAll([...all].sort(compareCrawls));
          const shuffled = recordAll(arrivals);
          expect(previousAndChange(shuffled.stored)).toEqual(previousAndChange(inOrder.stored));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves each crawl claiming exactly the change in-order arrival gives, never two claiming the same one', () => {
    fc.assert(
      fc.property(
        crawls.chain((all) => fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length }))),
        ([all, arrivals]) => {
          const inOrder = recordAll([...all].sort(compareCrawls));
          expect(inOrder.events.every((e) => !e.revised)).toBe(true);
          expect(claimedChanges(recordAll(arrivals).events)).toEqual(claimedChanges(inOrder.events));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('orders crawls by crawl time, then by crawl id', () => {
    const at = (crawledAt: string, crawlId: string) => ({ crawledAt, crawlId });
    expect(compareCrawls(at('2026-12-03T12:00:00Z', 'b'), at('2026-12-03T12:01:00Z', 'a'))).toBeLessThan(0);
    expect(compareCrawls(at('2026-12-03T12:00:00Z', 'b'), at('2026-12-03T12:00:00.000+00:00', 'a'))).toBeGreaterThan(0);
    expect(compareCrawls(at('2026-12-03T12:00:00Z', 'a'), at('2026-12-03T12:00:00Z', 'a'))).toBe(0);
  });
});
