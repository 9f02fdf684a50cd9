import { chartWindow } from './keyword';

describe('the window the keyword charts show', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('ends now and reaches back the chosen range', () => {
    const window = chartWindow('30d', null, now);
    expect(window.from).toBe('2026-10-23T12:00:00.000Z');
    expect(new Date(window.to).getTime()).toBeGreaterThan(now.getTime());
  });

  it('centres on an alert: two days before it, one day after (never past the next hour)', () => {
    expect(chartWindow('7d', '2026-11-10T08:00:00Z', now)).toEqual({
      from: '2026-11-08T08:00:00.000Z',
      to: '2026-11-11T08:00:00.000Z',
    });
    expect(chartWindow('7d', '2026-11-22T11:00:00Z', now).to).toBe('2026-11-22T13:00:00.000Z');
  });
});
