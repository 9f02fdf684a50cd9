import { withRange } from './report-range';

describe('withRange', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');

  it('defaults to now and a month of days, or a week of hours, before it', () => {
    expect(withRange({}, 'day', now)).toEqual({ from: '2026-10-23T12:00:00.000Z', to: '2026-11-22T12:00:00.000Z' });
    const query: { keywordId: string; from?: string } = { keywordId: 'k' };
    expect(withRange(query, 'hour', now)).toEqual({
      keywordId: 'k',
      from: '2026-11-15T12:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
    });
  });

  it('counts the look-back from a given `to` and keeps a given `from`', () => {
    expect(withRange({ to: '2026-01-31T00:00:00Z' }, 'day', now).from).toBe('2026-01-01T00:00:00.000Z');
    expect(withRange({ from: '2026-11-01T00:00:00Z' }, 'day', now)).toEqual({
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-22T12:00:00.000Z',
    });
  });
});
