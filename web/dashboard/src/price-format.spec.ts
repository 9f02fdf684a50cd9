import { priceGap } from './format';
import { listingPrice, myPriceLegend, myPriceText, myPriceView, parsePrice } from './price-format';

describe('which "my price" is shown', () => {
  it('says an observed price was seen at a mall, and shows the catalogue price too when they differ', () => {
    const view = myPriceView({ myPrice: 59_000, priceSource: 'observed', observedMall: 'Acme Mall' }, 64_900, 'KRW');
    expect(view).toEqual({
      value: 59_000,
      currency: 'KRW',
      source: 'observed at Acme Mall',
      other: 'catalogue price ₩64,900',
    });
    expect(myPriceText(view)).toBe('₩59,000 (observed at Acme Mall; catalogue price ₩64,900)');
  });

  it("prefers the catalogue price the standing carries (the one at that crawl) to the product's current one", () => {
    const figures = {
      myPrice: 59_000,
      priceSource: 'observed' as const,
      observedMall: 'Acme Mall',
      catalogPrice: 61_000,
    };
    expect(myPriceView(figures, 64_900, 'KRW').other).toBe('catalogue price ₩61,000');
  });

  it('shows one price when the observed one equals the catalogue price', () => {
    const view = myPriceView({ myPrice: 64_900, priceSource: 'observed', observedMall: 'Acme Mall' }, 64_900, 'KRW');
    expect(myPriceText(view)).toBe('₩64,900 (observed at Acme Mall)');
  });

  it('says a catalogue price is one, in its currency', () => {
    const figures = { myPrice: 64.99, priceSource: 'catalog' as const, observedMall: null };
    expect(myPriceText(myPriceView(figures, 64.99, 'USD'))).toBe('$64.99 (catalogue price)');
  });

  it('adds no tag when the gateway does not say where the price came from', () => {
    expect(myPriceView({ myPrice: 64_900 }, 64_900, undefined)).toEqual({
      value: 64_900,
      currency: undefined,
      source: null,
      other: null,
    });
    expect(myPriceView(null, 64_900, 'KRW').value).toBe(64_900);
  });

  it('compares competitors against the observed price', () => {
    const mine = myPriceView({ myPrice: 59_000, priceSource: 'observed', observedMall: 'Acme Mall' }, 64_900, 'KRW');
    expect(priceGap(mine.value, 60_000, 'KRW')).toEqual({ text: '₩1,000 above mine', undercut: false });
    expect(priceGap(null, 60_000, 'KRW')).toEqual({ text: 'my price unknown', undercut: false });
  });

  it('shows "no price" for a listing without one, never 0, and a listing price in its currency', () => {
    expect(listingPrice(null, 'GBP')).toBe('no price');
    expect(listingPrice(0, 'KRW')).toBe('₩0');
    expect(listingPrice(12_900, 'KRW')).toBe('₩12,900');
    expect(listingPrice(12.99, 'GBP')).toBe('£12.99');
  });

  it('labels the chart legend by the sources of its points', () => {
    expect(myPriceLegend([{ myPrice: 1 }])).toBe('My price');
    expect(myPriceLegend([{ myPrice: 1, priceSource: 'observed' }])).toBe('My price (observed)');
    expect(myPriceLegend([{ myPrice: 1, priceSource: 'catalog' }])).toBe('My price (catalogue)');
    expect(
      myPriceLegend([
        { myPrice: 1, priceSource: 'catalog' },
        { myPrice: 1, priceSource: 'observed' },
      ]),
    ).toBe('My price (observed where seen, else catalogue)');
  });
});

describe('the price a seller types', () => {
  it('takes cents where the currency has them', () => {
    expect(parsePrice('64.99', 'USD')).toBe(64.99);
    expect(parsePrice(' 1,064.5 ', 'GBP')).toBe(1_064.5);
    expect(parsePrice('65', 'USD')).toBe(65);
  });

  it('takes whole won and yen, with thousands separators', () => {
    expect(parsePrice('12,900', 'KRW')).toBe(12_900);
    expect(parsePrice('1290', 'JPY')).toBe(1_290);
    expect(parsePrice('1290.', 'JPY')).toBe(1_290);
  });

  it('refuses decimals a currency does not have, saying what to type', () => {
    expect(() => parsePrice('12900.5', 'KRW')).toThrow(
      'KRW prices have no decimals: enter a whole number, like 12900.',
    );
    expect(() => parsePrice('64.999', 'USD')).toThrow('USD prices have at most 2 decimals, like 64.99.');
  });

  it('refuses what is not a price', () => {
    expect(() => parsePrice('abc', 'USD')).toThrow('Enter your price (a number, 0 or more, in USD).');
    expect(() => parsePrice('', 'KRW')).toThrow('Enter your price');
    expect(() => parsePrice('-1', 'KRW')).toThrow('Enter your price');
  });
});
