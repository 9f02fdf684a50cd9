import { daysAhead, expiredPartitions, partitionDay, partitionName } from './ranking-partitions.policy';

describe('ranking row partitions', () => {
  it('given a day, when named, then the name round-trips to the same day', () => {
    const day = new Date('2026-11-05T00:00:00Z');
    expect(partitionName(day)).toBe('ranking_rows_p20261105');
    expect(partitionDay('ranking_rows_p20261105')).toEqual(day);
    expect(partitionDay('ranking_rows_default')).toBeNull();
  });

  it('given the current instant, when looking ahead 2 days, then today and the next two are listed', () => {
    expect(daysAhead(new Date('2026-11-22T23:59:00Z'), 2).map(partitionName)).toEqual([
      'ranking_rows_p20261122',
      'ranking_rows_p20261123',
      'ranking_rows_p20261124',
    ]);
  });

  it('given a cut-off inside a day, when expired partitions are chosen, then that day is kept', () => {
    const names = [
      'ranking_rows_p20261021',
      'ranking_rows_default',
      'ranking_rows_p20261020',
      'ranking_rows_p20261022',
    ];
    expect(expiredPartitions(names, new Date('2026-10-22T12:00:00Z'))).toEqual([
      'ranking_rows_p20261020',
      'ranking_rows_p20261021',
    ]);
    expect(expiredPartitions(names, new Date('2026-10-22T00:00:00Z'))).toEqual([
      'ranking_rows_p20261020',
      'ranking_rows_p20261021',
    ]);
    expect(expiredPartitions(names, new Date('2026-10-21T23:59:59Z'))).toEqual(['ranking_rows_p20261020']);
  });
});
