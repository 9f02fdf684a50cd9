import { MarketplaceError } from '../marketplace-error';
import { cleanTitle, type NaverHttpAnswer, nextSeoulMidnight, parseNaverAnswer } from './naver.parse';

// 2026-11-22T15:30:00Z is 2026-11-23 00:30 in Seoul.
const NOW = Date.parse('2026-11-22T15:30:00Z');

/** A Naver item as the API sends it, with overrides. */
function naverItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '<b>무선</b> 이어폰 &amp; 케이스',
    link: 'https://search.shopping.naver.com/catalog/1',
    image: 'https://shopping-phinf.pstatic.net/1.jpg',
    lprice: '29900',
    hprice: '',
    mallName: '네이버',
    productId: '82738123',
    productType: '1',
    brand: 'Acme',
    maker: 'Acme Corp',
    category1: '디지털/가전',
    category2: '음향가전',
    category3: '이어폰',
    category4: '',
    ...overrides,
  };
}

function answer(body: unknown, overrides: Partial<NaverHttpAnswer> = {}): NaverHttpAnswer {
  return { status: 200, text: JSON.stringify(body), retryAfter: null, start: 1, nowMs: NOW, ...overrides };
}

function failureOf(input: NaverHttpAnswer): MarketplaceError {
  try {
    parseNaverAnswer(input);
  } catch (err) {
    if (err instanceof MarketplaceError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a MarketplaceError');
}

const page = (items: unknown[], total = 1234): Record<string, unknown> => ({
  lastBuildDate: 'Mon, 23 Nov 2026 00:30:00 +0900',
  total,
  start: 1,
  display: items.length,
  items,
});

describe('parseNaverAnswer', () => {
  it('normalizes an item: stripped and decoded title, numeric price, joined category, productType kept', () => {
    const result = parseNaverAnswer(answer(page([naverItem()])));

    expect(result).toEqual({
      total: 1234,
      items: [
        {
          rank: 1,
          externalId: '82738123',
          title: '무선 이어폰 & 케이스',
          mall: '네이버',
          price: 29900,
          brand: 'Acme',
          maker: 'Acme Corp',
          category: '디지털/가전>음향가전>이어폰',
          link: 'https://search.shopping.naver.com/catalog/1',
          image: 'https://shopping-phinf.pstatic.net/1.jpg',
          productType: '1',
        },
      ],
    });
  });

  it('accepts prices and ids as numbers, "" and null as no price (null, never 0), and ranks from start', () => {
    const items = [
      naverItem({ lprice: 15000, productId: 111, productType: 2 }),
      naverItem({ lprice: '', productId: '222', productType: '12' }),
      naverItem({ lprice: null, productId: '333', productType: '12' }),
    ];

    const result = parseNaverAnswer(answer(page(items), { start: 101 }));

    expect(
      result.items.map(({ rank, price, externalId, productType }) => [rank, price, externalId, productType]),
    ).toEqual([
      [101, 15000, '111', '2'],
      [102, null, '222', '12'],
      [103, null, '333', '12'],
    ]);
  });

  it('accepts total given as a string and an empty result', () => {
    expect(parseNaverAnswer(answer({ total: '0', start: 1, display: 0, items: [] }))).toEqual({ total: 0, items: [] });
  });

  it.each([
    ['a missing productId', naverItem({ productId: undefined })],
    ['a price that is not a number', naverItem({ lprice: 'free' })],
    ['a negative price', naverItem({ lprice: -1 })],
  ])('rejects a body with %s as invalid_response', (_what, item) => {
    expect(failureOf(answer(page([item])))).toMatchObject({ code: 'invalid_response', httpStatus: 200 });
  });

  it('rejects a body that is not JSON, or JSON without items, as invalid_response', () => {
    expect(failureOf(answer(undefined, { text: '<html>oops</html>' })).code).toBe('invalid_response');
    expect(failureOf(answer({ total: 3 })).code).toBe('invalid_response');
  });
});

describe('Naver error mapping', () => {
  const error = (errorCode: string): Record<string, string> => ({ errorMessage: `message ${errorCode}`, errorCode });

  it.each([200, 429])('010 with HTTP %i pauses until the next midnight in Seoul', (status) => {
    const failure = failureOf(answer(error('010'), { status }));

    expect(failure.code).toBe('quota_exhausted');
    expect(failure.resumeAt?.toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(failure.upstreamCode).toBe('010');
    expect(failure.retryable).toBe(true);
  });

  it('012 throttles for Retry-After, or 1 s without one, also with HTTP 200', () => {
    expect(failureOf(answer(error('012'), { status: 429, retryAfter: '3' }))).toMatchObject({
      code: 'throttled',
      retryAfterMs: 3_000,
    });
    expect(failureOf(answer(error('012'), { status: 200 }))).toMatchObject({ code: 'throttled', retryAfterMs: 1_000 });
  });

  it.each([
    ['024', 401, 'auth_failed'],
    ['SE01', 400, 'bad_request'],
    ['SE03', 200, 'bad_request'],
    ['SE06', 400, 'bad_request'],
    ['SE99', 500, 'upstream_error'],
    ['SE99', 200, 'upstream_error'],
    ['999', 200, 'invalid_response'],
  ])('errorCode %s with HTTP %i is %s', (code, status, expected) => {
    expect(failureOf(answer(error(code), { status })).code).toBe(expected);
  });

  it.each([
    [401, 'auth_failed'],
    [403, 'auth_failed'],
    [400, 'bad_request'],
    [404, 'bad_request'],
    [408, 'timeout'],
    [429, 'throttled'],
    [500, 'upstream_error'],
    [503, 'upstream_error'],
  ])('HTTP %i without an error body is %s', (status, expected) => {
    expect(failureOf(answer(undefined, { status, text: 'Service Unavailable' })).code).toBe(expected);
  });

  it('reads the NAVER API HUB envelope with a numeric errorCode', () => {
    const hub = { error: { errorCode: 401, message: 'Authentication failed' } };
    expect(failureOf(answer(hub, { status: 401 }))).toMatchObject({ code: 'auth_failed', upstreamCode: '401' });
  });
});

describe('cleanTitle', () => {
  it('strips only <b> tags, then decodes entities, so an encoded tag stays text', () => {
    expect(cleanTitle('<B>Apple</B> &lt;b&gt; &quot;Pro&quot; &#39;24 &#x2F; &#50640;')).toBe(
      'Apple <b> "Pro" \'24 / 에',
    );
    expect(cleanTitle('Tom &unknown; Jerry')).toBe('Tom &unknown; Jerry');
  });
});

describe('nextSeoulMidnight', () => {
  it('is the coming 00:00 KST (15:00 UTC)', () => {
    expect(nextSeoulMidnight(Date.parse('2026-11-22T14:59:59Z')).toISOString()).toBe('2026-11-22T15:00:00.000Z');
    expect(nextSeoulMidnight(Date.parse('2026-11-22T15:00:00Z')).toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });
});
