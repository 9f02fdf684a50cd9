import { rankingProductCreateBody } from './ranking.rpc';

const product = { externalId: 'v1|1|0', name: 'Kettle', price: 64.99 };

function issues(body: object): { path: string; message: string }[] {
  const parsed = rankingProductCreateBody.safeParse(body);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('a product’s site and currency', () => {
  it('takes an eBay site in any case, trimmed, and a currency equal to the site’s', () => {
    expect(
      rankingProductCreateBody.parse({ ...product, marketplace: 'ebay', site: ' ebay_gb ', currency: 'gbp' }),
    ).toMatchObject({
      site: 'EBAY_GB',
      currency: 'GBP',
    });
  });

  it('takes an eBay product without a site or currency (EBAY_US, USD follow)', () => {
    expect(issues({ ...product, marketplace: 'ebay' })).toEqual([]);
    expect(issues({ ...product, marketplace: 'ebay', currency: 'USD' })).toEqual([]);
    expect(issues({ ...product, marketplace: 'ebay', currency: 'EUR' })).toEqual([
      { path: 'currency', message: 'prices of EBAY_US are in USD: send USD or leave currency out' },
    ]);
  });

  it('names every eBay site to an unknown one', () => {
    expect(issues({ ...product, marketplace: 'ebay', site: 'EBAY_JP' })).toEqual([
      {
        path: 'site',
        message:
          'must be one of the eBay sites: EBAY_US, EBAY_GB, EBAY_DE, EBAY_FR, EBAY_IT, EBAY_ES, EBAY_AU, EBAY_CA',
      },
    ]);
  });

  it('refuses a site for a marketplace without sites, and a currency not its own', () => {
    expect(issues({ ...product, marketplace: 'rakuten', site: 'EBAY_US' })).toEqual([
      { path: 'site', message: 'rakuten has no sites: leave site out' },
    ]);
    expect(issues({ ...product, marketplace: 'rakuten', site: null, currency: 'JPY' })).toEqual([]);
    expect(issues({ ...product, marketplace: 'naver', currency: 'JPY' })).toEqual([
      { path: 'currency', message: 'prices of naver are in KRW: send KRW or leave currency out' },
    ]);
  });
});
