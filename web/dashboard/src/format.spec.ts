import { ago, priceGap, rankChange } from './format';

describe('how ranks and prices read', () => {
  it('says which way a rank moved, in words as well as colour', () => {
    expect(rankChange(3)).toEqual({ text: '▲ 3', label: 'up 3 since the previous crawl', tone: 'up' });
    expect(rankChange(-2)).toEqual({ text: '▼ 2', label: 'down 2 since the previous crawl', tone: 'down' });
    expect(rankChange(0).tone).toBe('same');
    expect(rankChange(null).tone).toBe('unknown');
  });

  it('flags a cheaper competitor as an undercut, with the gap and its share of my price', () => {
    expect(priceGap(10_000, 9_000)).toEqual({ text: '1,000 cheaper than mine (10 %)', undercut: true });
    expect(priceGap(10_000, 10_000)).toEqual({ text: 'same as mine', undercut: false });
    expect(priceGap(10_000, 12_500)).toEqual({ text: '2,500 above mine', undercut: false });
    expect(priceGap(10_000, null)).toEqual({ text: 'no priced competitor', undercut: false });
  });

  it('tells how long ago a crawl was', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(ago(null, now)).toBe('never');
    expect(ago('2026-11-22T11:59:40Z', now)).toBe('just now');
    expect(ago('2026-11-22T11:15:00Z', now)).toBe('45 min ago');
    expect(ago('2026-11-22T07:00:00Z', now)).toBe('5 h ago');
    expect(ago('2026-11-19T12:00:00Z', now)).toBe('3 d ago');
  });
});
