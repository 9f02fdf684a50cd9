import { ReportingError } from '../reporting.errors';
import { decodeExportCursor, encodeExportCursor } from './export.query';
import { bucketFloor, checkedRange, dayRange, tooManyPoints } from './time-range';

describe('report ranges', () => {
  it('refuses an empty, reversed or too long range with invalid', () => {
    expect(() => checkedRange('2026-11-22T00:00:00Z', '2026-11-22T00:00:00Z', 1)).toThrow(ReportingError);
    expect(() => checkedRange('2026-11-22T00:00:00Z', '2026-11-01T00:00:00Z', 90)).toThrow('before');
    expect(() => checkedRange('2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z', 93)).toThrow('at most 93 days');
    expect(checkedRange('2026-11-22T09:00:00+09:00', '2026-11-23T00:00:00Z', 2)).toEqual({
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
  });

  it('names the longest range that fits when a history of every keyword holds too many points', () => {
    expect(tooManyPoints(10, 'hour')).toBe(
      'to: the answer would hold more than 8400 points; with 10 keyword series an hourly history may span at ' +
        'most 35 days: ask for one keywordId, a shorter range or bucket=day',
    );
    expect(tooManyPoints(50, 'day')).toContain('a daily history may span at most 168 days');
    expect(tooManyPoints(400, 'hour')).toContain('may span less than a day');
  });

  it('includes the bucket a range starts in, and the days a range overlaps', () => {
    expect(bucketFloor('2026-11-22T10:30:00Z', 'hour')).toBe('2026-11-22T10:00:00.000Z');
    expect(bucketFloor('2026-11-22T10:30:00Z', 'day')).toBe('2026-11-22T00:00:00.000Z');
    expect(dayRange('2026-11-20T10:00:00Z', '2026-11-22T00:00:00Z')).toEqual({
      first: '2026-11-20',
      endExclusive: '2026-11-22',
    });
    expect(dayRange('2026-11-20T10:00:00Z', '2026-11-22T00:00:01Z').endExclusive).toBe('2026-11-23');
  });

  it('round-trips an export cursor and refuses a forged one', () => {
    const key: [string, string, string] = [
      '0195a0f0-0000-7000-8000-000000000001',
      '0195a0f0-0000-7000-8000-000000000002',
      '2026-11-22T10:00:00.000Z',
    ];
    expect(decodeExportCursor(encodeExportCursor(key))).toEqual(key);
    expect(() => decodeExportCursor('bm90IGEgY3Vyc29y')).toThrow(ReportingError);
  });
});
