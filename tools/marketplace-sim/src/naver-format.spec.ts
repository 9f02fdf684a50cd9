import { normalizeQuery } from './catalogue';
import { highlight, naverError, rfc1123Kst, toNaverItem } from './naver-format';
import { groundTruth } from './ground-truth';
import { T0 } from '../test/fixtures';

describe('Naver formatting', () => {
  it('wraps each matched query word in <b>, and stripping the tags gives the plain title back', () => {
    const title = 'Aurelo Wireless earbuds AB-123 블랙';
    const marked = highlight(title, normalizeQuery('wireless EARBUDS'));
    expect(marked).toBe('Aurelo <b>Wireless</b> <b>earbuds</b> AB-123 블랙');
    expect(marked.replace(/<\/?b>/gu, '')).toBe(title);
    expect(highlight('무선 이어폰 X', normalizeQuery('이어폰'))).toBe('무선 <b>이어폰</b> X');
  });

  it('writes lastBuildDate in RFC 1123 at +0900', () => {
    expect(rfc1123Kst(Date.parse('2016-10-04T04:23:58Z'))).toBe('Tue, 04 Oct 2016 13:23:58 +0900');
    expect(rfc1123Kst(Date.parse('2026-12-31T15:00:00Z'))).toBe('Fri, 01 Jan 2027 00:00:00 +0900');
  });

  it('sends prices, product id and type as strings, and an empty hprice when there is none', () => {
    const query = normalizeQuery('wireless earbuds');
    const shelf = groundTruth(42, query.text, T0);
    const plain = shelf.find((item) => item.hprice === null);
    const compared = shelf.find((item) => item.hprice !== null);
    if (!plain || !compared) {
      throw new Error('expected both kinds of product on the shelf');
    }
    expect(toNaverItem(plain, query)).toMatchObject({
      lprice: String(plain.lprice),
      hprice: '',
      productId: plain.productId,
      productType: String(plain.productType),
    });
    expect(toNaverItem(compared, query).hprice).toBe(String(compared.hprice));
    const unpriced = shelf.find((item) => item.lprice === 0);
    expect(unpriced).toBeDefined();
    expect(unpriced && toNaverItem(unpriced, query).lprice).toBe('');
    expect(toNaverItem(compared, query).title).toContain('<b>wireless</b> <b>earbuds</b>');
  });

  it('uses the bodies Naver sends for throttling, quota and authentication', () => {
    expect(naverError({ kind: 'throttled' })).toEqual({
      status: 429,
      body: { errorMessage: 'Rate limit exceeded. (속도 제한을 초과했습니다.)', errorCode: '012' },
    });
    expect(naverError({ kind: 'quota', count: 10_039, quota: 10_000 })).toEqual({
      status: 429,
      body: {
        errorMessage: '{count/quota=10039/10000} : Query limit exceeded. (쿼리 한도를 초과했습니다.)',
        errorCode: '010',
      },
    });
    expect(naverError({ kind: 'auth', missing: 'id' }).body.errorCode).toBe('024');
    expect(naverError({ kind: 'SE01' }).body.errorMessage).toBe('Incorrect query request (잘못된 쿼리요청입니다.)');
  });
});
