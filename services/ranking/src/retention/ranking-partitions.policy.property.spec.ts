import fc from 'fast-check';
import { dayOf, daysAhead, expiredPartitions, partitionDay, partitionName } from './ranking-partitions.policy';

const DAY_MS = 86_400_000;
const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T00:00:00Z'),
  noInvalidDate: true,
});

/**
 * Partition tables around the cut-off, plus the default partition and an unrelated table; the cut-off often
 * falls on a midnight or a millisecond either side of one, where an off-by-one would drop a day too early.
 */
const tablesAndCutoff = fc
  .tuple(
    instant,
    fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { maxLength: 20 }),
    fc.oneof(fc.integer({ min: -1, max: 1 }), fc.integer({ min: 0, max: DAY_MS - 1 })),
  )
  .map(([around, offsets, intoDay]) => ({
    names: [
      ...offsets.map((offset) => partitionName(new Date(dayOf(around).getTime() + offset * DAY_MS))),
      'ranking_rows_default',
      'ranking_rows_p2026',
    ],
    cutoff: new Date(dayOf(around).getTime() + intoDay),
  }));

describe('ranking row partitions (properties)', () => {
  it('drops a partition only when its whole day is older than the cut-off, keeps every other, oldest first', () => {
    fc.assert(
      fc.property(tablesAndCutoff, ({ names, cutoff }) => {
        const dropped = expiredPartitions(names, cutoff);
        for (const name of names) {
          const day = partitionDay(name);
          // Expired when even a row at the day's last millisecond is older than the cut-off (the purge deletes it).
          const lastInstant = day === null ? null : day.getTime() + DAY_MS - 1;
          expect(dropped.includes(name)).toBe(lastInstant !== null && lastInstant < cutoff.getTime());
        }
        const days = dropped.map((name) => partitionDay(name)?.getTime() ?? Number.NaN);
        expect(days).toEqual([...days].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });

  it('names the partition of any instant so that the name reads back as the day holding it', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const day = partitionDay(partitionName(dayOf(at)));
        expect(day?.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan((day?.getTime() ?? Number.NaN) + DAY_MS);
      }),
      { numRuns: 300 },
    );
  });

  it('prepares consecutive days from the one holding now, without a gap', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 }), (at, ahead) => {
        const days = daysAhead(at, ahead).map((day) => day.getTime());
        expect(days).toHaveLength(ahead + 1);
        expect(days[0]).toBe(dayOf(at).getTime());
        days.slice(1).forEach((day, i) => expect(day - (days[i] ?? Number.NaN)).toBe(DAY_MS));
      }),
      { numRuns: 200 },
    );
  });
});
