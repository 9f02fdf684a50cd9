import { ago, currencyDigits, fidelityNote, price, priceGap, rankChange, rankView } from './format';

describe('how ranks and prices read', () => {
  it('says which way a rank moved, in words as well as colour', () => {
    expect(rankChange(3)).toEqual({ text: '▲ 3', label: 'up 3 since the previous crawl', tone: 'up' });
    expect(rankChange(-2)).toEqual({ text: '▼ 2', label: 'down 2 since the previous crawl', tone: 'down' });
    expect(rankChange(0).tone).toBe('same');
    expect(rankChange(null).tone).toBe('unknown');
  });

  it('flags a cheaper competitor as an undercut, with the gap in the currency and its share of my price', () => {
    expect(priceGap(10_000, 9_000, 'KRW')).toEqual({ text: '₩1,000 cheaper than mine (10 %)', undercut: true });
    expect(priceGap(10_000, 10_000, 'KRW')).toEqual({ text: 'same as mine', undercut: false });
    expect(priceGap(10_000, 12_500, 'KRW')).toEqual({ text: '₩2,500 above mine', undercut: false });
    expect(priceGap(10_000, null, 'KRW')).toEqual({ text: 'no priced competitor', undercut: false });
    expect(priceGap(64.99, 59.99, 'USD')).toEqual({ text: '$5.00 cheaper than mine (7.69 %)', undercut: true });
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

// The specs run in an English locale (as the browser tests do); a reader's own locale orders symbol and digits its way.
describe('money has a currency', () => {
  it('formats each currency with its symbol and its own decimals', () => {
    expect(price(12_900, 'KRW')).toBe('₩12,900');
    expect(price(1_290, 'JPY')).toBe('¥1,290');
    expect(price(12.99, 'USD')).toBe('$12.99');
    expect(price(13, 'USD')).toBe('$13.00');
    expect(price(8.5, 'GBP')).toBe('£8.50');
    expect(price(19.99, 'EUR')).toBe('€19.99');
  });

  it('rounds to the currency: a won or a yen has no cents', () => {
    expect(price(12_900.4, 'KRW')).toBe('₩12,900');
    expect(price(1_290.6, 'JPY')).toBe('¥1,291');
    expect(currencyDigits('KRW')).toBe(0);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('USD')).toBe(2);
  });

  it('reads a price without a currency as KRW: data from before currencies came from Naver', () => {
    expect(price(12_900, undefined)).toBe('₩12,900');
    expect(price(12_900, null)).toBe('₩12,900');
  });

  it('shows an unknown price as a dash, and a malformed currency code next to the number', () => {
    expect(price(null, 'USD')).toBe('—');
    expect(price(undefined, 'KRW')).toBe('—');
    expect(price(12.5, 'dollars')).toBe('12.5 dollars');
  });
});

describe('order fidelity next to a rank', () => {
  it('marks a rank from an approximate order with ≈ and says why, naming the marketplace', () => {
    expect(rankView(3, 'approximate', 'eBay')).toEqual({
      text: '≈ #3',
      note: "eBay's API order approximates what shoppers see",
    });
  });

  it('shows an exact rank, or one from before fidelity was kept, as it always was', () => {
    expect(rankView(3, 'exact', 'Naver Shopping')).toEqual({ text: '#3', note: null });
    expect(rankView(3, undefined, 'Naver Shopping')).toEqual({ text: '#3', note: null });
    expect(fidelityNote('exact', 'Naver Shopping')).toBeNull();
  });
});
