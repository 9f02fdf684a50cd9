import { groundTruth } from './ground-truth';
import { KRW_PER_JPY, rakutenError, rakutenErrorOfFault, shopCodeOf, toRakutenItem } from './rakuten-format';
import { parseRakutenSearch } from './rakuten.route';
import { T0 } from '../test/fixtures';

describe('Rakuten formatting', () => {
  const shelf = groundTruth(42, 'wireless earbuds', T0);

  it('prices in whole yen at 10 won a yen, and leaves itemPrice out for a listing without a price', () => {
    const priced = shelf.find((item) => item.lprice > 0);
    const unpriced = { ...(priced ?? shelf[0]), lprice: 0 } as (typeof shelf)[number];
    expect(priced).toBeDefined();
    const item = toRakutenItem(priced ?? unpriced);

    expect(KRW_PER_JPY).toBe(10);
    expect(item.itemPrice).toBe(Math.round((priced?.lprice ?? 0) / 10));
    expect(Number.isInteger(item.itemPrice)).toBe(true);
    expect('itemPrice' in toRakutenItem(unpriced)).toBe(false);
  });

  it('composes itemCode from an ASCII shop code and the product id, the same every time', () => {
    const first = shelf[0];
    if (!first) {
      throw new Error('empty shelf');
    }
    const item = toRakutenItem(first);

    expect(item.shopCode).toMatch(/^shop-[0-9a-z]+$/);
    expect(item.shopCode).toBe(shopCodeOf(first.mallName));
    expect(item.itemCode).toBe(`${item.shopCode}:${first.productId}`);
    expect(toRakutenItem(first)).toEqual(item);
    expect(item.reviewAverage).toBeLessThanOrEqual(5);
    expect(item.reviewCount === 0).toBe(item.reviewAverage === 0);
  });

  it('answers the shared faults in Rakuten’s error shape', () => {
    expect(rakutenError(rakutenErrorOfFault({ kind: 'throttled' }))).toEqual({
      status: 429,
      body: {
        error: 'too_many_requests',
        error_description: 'number of allowed requests has been exceeded for this API. please try again soon.',
      },
    });
    expect(rakutenError(rakutenErrorOfFault({ kind: 'quota', count: 11, quota: 10 })).status).toBe(429);
    expect(rakutenError(rakutenErrorOfFault({ kind: 'SE99' })).body.error).toBe('system_error');
    expect(rakutenError(rakutenErrorOfFault({ kind: 'auth', missing: 'id' })).body).toEqual({
      error: 'wrong_parameter',
      error_description: 'specify valid applicationId',
    });
    expect(rakutenError({ kind: 'not_found' }).status).toBe(404);
  });

  it('validates a search with Rakuten’s limits, defaulting hits to 30 and page to 1', () => {
    expect(parseRakutenSearch({ keyword: 'earbuds' })).toEqual({
      ok: true,
      params: { keyword: 'earbuds', hits: 30, page: 1, sort: 'sim', formatVersion: 1 },
    });
    for (const bad of [
      { hits: '31' },
      { page: '101' },
      { page: '0' },
      { sort: 'random' },
      { format: 'xml' },
      { keyword: ' ' },
    ]) {
      expect(parseRakutenSearch({ keyword: 'earbuds', ...bad })).toMatchObject({
        ok: false,
        error: { kind: 'wrong_parameter' },
      });
    }
  });
});
