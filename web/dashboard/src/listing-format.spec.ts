import { availabilityText, listingCell, listingColumns, reviewsText } from './listing-format';
import { latestEntry } from './views.factory';

describe('what the marketplaces tell about a listing', () => {
  it('shows no extra column for a shelf that tells none of it (Naver)', () => {
    expect(listingColumns([latestEntry(), latestEntry({ rank: 2 })])).toEqual([]);
  });

  it('shows a column as soon as one listing has a value for it', () => {
    const rakuten = [
      latestEntry({ mall: 'Acme Shop', sellerId: 'acme-shop', availability: 'in_stock', placement: 'sponsored' }),
      latestEntry({ rank: 2, reviewCount: 12, reviewRating: 4.5 }),
    ];
    expect(listingColumns(rakuten)).toEqual(['seller', 'availability', 'reviews', 'placement']);
  });

  it("leaves out a seller that is only the mall again (eBay's seller is its mall)", () => {
    const ebay = [latestEntry({ mall: 'gadgets-uk', sellerId: 'gadgets-uk', condition: 'New' })];
    expect(listingColumns(ebay)).toEqual(['condition']);
  });

  it('treats null as not told', () => {
    expect(listingColumns([latestEntry({ sellerId: null, availability: null, reviewCount: null })])).toEqual([]);
  });

  it('says availability and reviews in words', () => {
    expect(availabilityText('in_stock')).toBe('In stock');
    expect(availabilityText('limited')).toBe('Limited stock');
    expect(availabilityText('out_of_stock')).toBe('Out of stock');
    expect(availabilityText(null)).toBe('—');
    expect(reviewsText(1_203, 4.46)).toBe('4.5 of 5 · 1,203 reviews');
    expect(reviewsText(1, null)).toBe('1 review');
    expect(reviewsText(null, 4)).toBe('4 of 5');
    expect(reviewsText(undefined, undefined)).toBe('—');
  });

  it('fills a cell per column, a dash where this listing did not say, and organic when placement is absent', () => {
    const entry = latestEntry({ sellerId: 'acme-shop', placement: 'sponsored' });
    expect(listingCell(entry, 'seller')).toBe('acme-shop');
    expect(listingCell(entry, 'availability')).toBe('—');
    expect(listingCell(entry, 'placement')).toBe('Sponsored');
    expect(listingCell(latestEntry(), 'placement')).toBe('Organic');
    expect(listingCell(latestEntry({ condition: 'Used' }), 'condition')).toBe('Used');
  });
});
