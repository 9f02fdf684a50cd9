import {
  EBAY_SITE_CHOICES,
  ebaySiteLabel,
  marketplaceChoices,
  marketplaceName,
  productCurrency,
  productMarketLabel,
  siteFor,
} from './marketplace-choice';
import { marketplace } from './views.factory';

describe('picking the marketplace and site of a product', () => {
  const listed = [
    marketplace(),
    marketplace({
      id: 'ebay',
      name: 'eBay',
      credentials: { source: 'none', last4: null, lastUsedAt: null, updatedAt: null },
    }),
  ];

  it('offers the marketplaces the tenant can use, by name, saying which need credentials first', () => {
    expect(marketplaceChoices(listed)).toEqual([
      { id: 'naver', name: 'Naver Shopping', note: null },
      { id: 'ebay', name: 'eBay', note: 'needs your credentials' },
    ]);
  });

  it('offers every marketplace the platform knows, by id, when the list cannot be read', () => {
    expect(marketplaceChoices(null).map((choice) => choice.id)).toEqual(['naver', 'ebay', 'rakuten']);
    expect(marketplaceChoices([]).map((choice) => choice.name)).toEqual(['naver', 'ebay', 'rakuten']);
  });

  it('labels eBay sites with their country and currency, the default (EBAY_US) first', () => {
    expect(ebaySiteLabel('EBAY_GB')).toBe('United Kingdom · GBP (EBAY_GB)');
    expect(ebaySiteLabel('EBAY_DE')).toBe('Germany · EUR (EBAY_DE)');
    expect(EBAY_SITE_CHOICES[0]).toEqual({ site: 'EBAY_US', label: 'United States · USD (EBAY_US)' });
    expect(EBAY_SITE_CHOICES).toHaveLength(8);
  });

  it('sends a site for eBay only', () => {
    expect(siteFor('ebay', 'EBAY_GB')).toBe('EBAY_GB');
    expect(siteFor('ebay', '')).toBe('EBAY_US');
    expect(siteFor('naver', 'EBAY_GB')).toBeNull();
    expect(siteFor('rakuten', 'EBAY_US')).toBeNull();
  });

  it("prices a product in its own currency, else its marketplace's (site's)", () => {
    expect(productCurrency({ marketplace: 'ebay', site: 'EBAY_GB', currency: 'GBP' })).toBe('GBP');
    expect(productCurrency({ marketplace: 'ebay', site: 'EBAY_GB' })).toBe('GBP');
    expect(productCurrency({ marketplace: 'ebay' })).toBe('USD');
    expect(productCurrency({ marketplace: 'rakuten', site: null })).toBe('JPY');
    expect(productCurrency({ marketplace: 'naver' })).toBe('KRW');
  });

  it('says where a product is sold: the marketplace by name, and the eBay site', () => {
    expect(productMarketLabel({ marketplace: 'naver', site: null }, listed)).toBe('Naver Shopping');
    expect(productMarketLabel({ marketplace: 'ebay', site: 'EBAY_GB' }, listed)).toBe(
      'eBay · United Kingdom · GBP (EBAY_GB)',
    );
    expect(marketplaceName('rakuten', listed)).toBe('rakuten');
    expect(marketplaceName('naver', null)).toBe('naver');
  });
});
