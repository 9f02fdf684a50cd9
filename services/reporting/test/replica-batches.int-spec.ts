import { EventEnvelope, Standing, buildEvent, rankingEntrySchema } from '@shelfwatch/contracts';
import { randomUUID } from 'node:crypto';
import { rankingRecorded } from '../src/projections/ranking.projection';
import { recompute } from './support/history.oracle';
import { dumpReadModels } from './support/read-model-dump';
import { ReportingUnderTest, bootReporting } from './support/reporting.fixtures';

type Recorded = EventEnvelope<'ranking.recorded'>;

/**
 * Two reporting replicas share each stream's consumer, so both can hold events of one keyword, and their batches
 * then write some of the same rows. Written in event order, two batches holding crawls of keywords X and Y in
 * opposite orders would each lock a row the other needs next (Postgres aborts one after a second, and its batch
 * is applied again message by message); written in the order of their keys, the second waits for the first.
 */
describe('reporting batches of two replicas sharing rows', () => {
  let sut: ReportingUnderTest;
  const tenantId = randomUUID();
  const products = [randomUUID(), randomUUID(), randomUUID()];
  const [x, y] = [randomUUID(), randomUUID()];
  // Four crawls in one hour: each keyword's two share their hourly, daily, latest and brand rows.
  const hour = Date.UTC(2026, 10, 30, 9);

  beforeAll(async () => {
    sut = await bootReporting();
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  function recorded(keywordId: string, minute: number): Recorded {
    const at = new Date(hour + minute * 60_000).toISOString();
    const entries = Array.from({ length: 12 }, (_, index) =>
      rankingEntrySchema.parse({
        rank: index + 1,
        externalId: `e${index}`,
        productId: null,
        mall: 'mall',
        brand: `Brand ${(index + minute) % 4}`,
        price: 1_000 + index,
        excluded: false,
      }),
    );
    const standings = products.map((productId, index): Standing => ({
      productId,
      rank: index + minute,
      previousRank: null,
      change: null,
      myPrice: 1_200,
      priceSource: 'catalog',
      observedMall: null,
      catalogPrice: 1_200,
      currency: 'KRW',
      lowestCompetitorPrice: 1_000,
      otherCurrencyCompetitors: 0,
      lowestCompetitor: { externalId: 'e0', mall: 'mall', rank: 1 },
    }));
    const data = { crawlId: randomUUID(), keywordId, recordedAt: at, crawledAt: at, orderFidelity: 'exact' as const };
    return buildEvent(
      'ranking.recorded',
      { ...data, entries, standings },
      { tenantId, correlationId: randomUUID(), causationId: null },
      { id: randomUUID(), occurredAt: new Date(at) },
    );
  }

  it('apply two batches writing the same rows in opposite event orders at once: both commit, nothing lost', async () => {
    const first = [recorded(x, 1), recorded(y, 2)];
    const second = [recorded(y, 3), recorded(x, 4)];
    // Each hourly row takes 50 ms to write, so that the two statements overlap row by row.
    const em = sut.em();
    await em.execute(`create function reporting.slow_row() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.05); return new; end $$`);
    await em.execute(
      `create trigger slow_row before insert on reporting.rank_hourly for each row execute function reporting.slow_row()`,
    );
    try {
      const results = await Promise.allSettled(
        [first, second].map((batch) => sut.em().transactional((tx) => rankingRecorded(tx, batch))),
      );
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'committed'))).toEqual([
        'committed',
        'committed',
      ]);
    } finally {
      await em.execute('drop trigger slow_row on reporting.rank_hourly');
      await em.execute('drop function reporting.slow_row()');
    }
    const { hourly, daily, latest, brandSlots, recorded: crawls } = await dumpReadModels(sut.em(), tenantId);
    const expected = recompute([...first, ...second]);
    expect({ hourly, daily, latest, brandSlots, crawls }).toEqual({
      hourly: expected.hourly,
      daily: expected.daily,
      latest: expected.latest,
      brandSlots: expected.brandSlots,
      crawls: expected.recorded,
    });
    expect(hourly.map((row) => row.samples)).toEqual([2, 2, 2, 2, 2, 2]);
  });
});
