import { brandSlots, dayBucket, hourBucket, utcDay } from './buckets';

describe('buckets', () => {
  it('puts an instant in the UTC hour and day that hold it, whatever offset it was written in', () => {
    expect(hourBucket('2026-11-22T10:59:59.999Z')).toBe('2026-11-22T10:00:00.000Z');
    expect(hourBucket('2026-11-22T10:00:00+09:00')).toBe('2026-11-22T01:00:00.000Z');
    expect(dayBucket('2026-11-22T23:59:59.999Z')).toBe('2026-11-22T00:00:00.000Z');
    expect(utcDay('2026-11-23T08:00:00+09:00')).toBe('2026-11-22');
  });
});

describe('brandSlots', () => {
  it('counts the top 100 positions per rank and trimmed brand, ignoring deeper results', () => {
    const entries = [
      { rank: 1, brand: 'Acme' },
      { rank: 2, brand: ' Acme ' },
      { rank: 2, brand: 'Acme' },
      { rank: 100, brand: '' },
      { rank: 101, brand: 'Bolt' },
    ];
    expect(brandSlots(entries)).toEqual([
      { rank: 1, brand: 'Acme', slots: 1 },
      { rank: 2, brand: 'Acme', slots: 2 },
      { rank: 100, brand: '', slots: 1 },
    ]);
  });
});
