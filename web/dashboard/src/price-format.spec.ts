import { priceGap } from './format';
import { listingPrice, myPriceLegend, myPriceText, myPriceView } from './price-format';

describe('which "my price" is shown', () => {
  it('says an observed price was seen at a mall, and shows the catalogue price too when they differ', () => {
    const view = myPriceView({ myPrice: 59_000, priceSource: 'observed', observedMall: 'Acme Mall' }, 64_900);
    expect(view).toEqual({ value: 59_000, source: 'observed at Acme Mall', other: 'catalogue price 64,900' });
    expect(myPriceText(view)).toBe('59,000 (observed at Acme Mall; catalogue price 64,900)');
  });

  it("prefers the catalogue price the standing carries (the one at that crawl) to the product's current one", () => {
    const figures = {
      myPrice: 59_000,
      priceSource: 'observed' as const,
      observedMall: 'Acme Mall',
      catalogPrice: 61_000,
    };
    expect(myPriceView(figures, 64_900).other).toBe('catalogue price 61,000');
  });

  it('shows one price when the observed one equals the catalogue price', () => {
    const view = myPriceView({ myPrice: 64_900, priceSource: 'observed', observedMall: 'Acme Mall' }, 64_900);
    expect(myPriceText(view)).toBe('64,900 (observed at Acme Mall)');
  });

  it('says a catalogue price is one', () => {
    expect(myPriceText(myPriceView({ myPrice: 64_900, priceSource: 'catalog', observedMall: null }, 64_900))).toBe(
      '64,900 (catalogue price)',
    );
  });

  it('adds no tag when the gateway does not say where the price came from', () => {
    expect(myPriceView({ myPrice: 64_900 }, 64_900)).toEqual({ value: 64_900, source: null, other: null });
    expect(myPriceView(null, 64_900).value).toBe(64_900);
  });

  it('compares competitors against the observed price', () => {
    const mine = myPriceView({ myPrice: 59_000, priceSource: 'observed', observedMall: 'Acme Mall' }, 64_900);
    expect(priceGap(mine.value, 60_000)).toEqual({ text: '1,000 above mine', undercut: false });
    expect(priceGap(null, 60_000)).toEqual({ text: 'my price unknown', undercut: false });
  });

  it('shows "no price" for a listing without one, never 0', () => {
    expect(listingPrice(null)).toBe('no price');
    expect(listingPrice(0)).toBe('0');
    expect(listingPrice(12_900)).toBe('12,900');
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
