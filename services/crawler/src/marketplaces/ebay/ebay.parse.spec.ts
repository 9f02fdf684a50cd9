import { MarketplaceError } from '../marketplace-error';
import { type EbayHttpAnswer, nextPacificMidnight, parseEbayAnswer } from './ebay.parse';
import { parseEbayTokenAnswer } from './ebay.token';

const NOW = Date.parse('2026-11-22T15:30:00Z');

function answer(body: unknown, overrides: Partial<EbayHttpAnswer> = {}): EbayHttpAnswer {
  return {
    status: 200,
    text: JSON.stringify(body),
    retryAfter: null,
    start: 1,
    siteCurrency: 'USD',
    nowMs: NOW,
    ...overrides,
  };
}

function failureOf(run: () => unknown): MarketplaceError {
  try {
    run();
  } catch (err) {
    if (err instanceof MarketplaceError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a MarketplaceError');
}

describe('nextPacificMidnight', () => {
  it.each([
    ['winter (PST, UTC-8)', '2026-11-22T15:30:00Z', '2026-11-23T08:00:00.000Z'],
    ['summer (PDT, UTC-7)', '2026-07-04T12:00:00Z', '2026-07-05T07:00:00.000Z'],
    ['just before midnight PDT', '2026-07-05T06:59:59Z', '2026-07-05T07:00:00.000Z'],
    ['exactly at midnight: the next one', '2026-07-05T07:00:00Z', '2026-07-06T07:00:00.000Z'],
    ['the evening before spring forward (8 Mar 2026)', '2026-03-08T07:59:00Z', '2026-03-08T08:00:00.000Z'],
    ['the day of spring forward: the next midnight is PDT', '2026-03-08T12:00:00Z', '2026-03-09T07:00:00.000Z'],
    ['the day of fall back (1 Nov 2026): the next midnight is PST', '2026-11-01T12:00:00Z', '2026-11-02T08:00:00.000Z'],
    ['the evening before fall back', '2026-11-01T06:30:00Z', '2026-11-01T07:00:00.000Z'],
  ])('%s', (_when, now, expected) => {
    expect(nextPacificMidnight(Date.parse(now)).toISOString()).toBe(expected);
  });
});

describe('parseEbayAnswer', () => {
  const item = { itemId: 'v1|1|0', title: 'Drone', price: { value: '10.50', currency: 'EUR' } };

  it('ranks from start and reads string and numeric prices', () => {
    const page = parseEbayAnswer(
      answer(
        { total: 2, itemSummaries: [item, { ...item, itemId: 'v1|2|0', price: { value: 7, currency: 'EUR' } }] },
        { start: 51 },
      ),
    );
    expect(page.items.map(({ rank, price, currency }) => [rank, price, currency])).toEqual([
      [51, 10.5, 'EUR'],
      [52, 7, 'EUR'],
    ]);
  });

  it.each([
    ['no price', {}],
    ['an empty value', { price: { value: '', currency: 'USD' } }],
    ['a negative value', { price: { value: '-1.00', currency: 'USD' } }],
    ['a null value', { price: { value: null, currency: 'USD' } }],
  ])('keeps a result with %s, priced null', (_what, overrides) => {
    const { items } = parseEbayAnswer(answer({ total: 1, itemSummaries: [{ itemId: 'v1|9|0', ...overrides }] }));
    expect(items[0]).toMatchObject({ externalId: 'v1|9|0', price: null, currency: 'USD', mall: '', sellerId: null });
  });

  it('rejects a result without itemId, or a body without total, as invalid_response', () => {
    expect(failureOf(() => parseEbayAnswer(answer({ total: 1, itemSummaries: [{ title: 'x' }] }))).code).toBe(
      'invalid_response',
    );
    expect(failureOf(() => parseEbayAnswer(answer({ itemSummaries: [item] }))).code).toBe('invalid_response');
  });

  it.each([
    [401, null, 1001, 'auth_failed'],
    [403, null, 1100, 'auth_failed'],
    [400, null, 12001, 'bad_request'],
    [404, null, 11001, 'bad_request'],
    [500, null, 10001, 'upstream_error'],
    [503, null, null, 'upstream_error'],
    [429, '2', 2001, 'throttled'],
    [429, null, null, 'throttled'],
    [429, null, 2001, 'quota_exhausted'],
  ])('HTTP %i (Retry-After %s, errorId %s) is %s', (status, retryAfter, errorId, expected) => {
    const body = errorId === null ? 'Service Unavailable' : JSON.stringify({ errors: [{ errorId, message: 'm' }] });
    const failure = failureOf(() => parseEbayAnswer(answer(undefined, { status, retryAfter, text: body })));
    expect(failure.code).toBe(expected);
  });

  it('pauses a spent call limit until the next midnight in California', () => {
    const failure = failureOf(() =>
      parseEbayAnswer(answer({ errors: [{ errorId: 2001, message: 'Too many requests.' }] }, { status: 429 })),
    );
    expect(failure.resumeAt?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(failure.message).toBe('eBay 2001: Too many requests.');
  });
});

describe('parseEbayTokenAnswer', () => {
  const tokenAnswer = (status: number, body: unknown) => ({
    status,
    text: JSON.stringify(body),
    retryAfter: null,
    nowMs: NOW,
  });

  it('uses a token until a minute before it expires, or half its life when it lives shorter', () => {
    expect(parseEbayTokenAnswer(tokenAnswer(200, { access_token: 't', expires_in: 7200 }))).toEqual({
      value: 't',
      useUntilMs: NOW + 7_140_000,
    });
    expect(parseEbayTokenAnswer(tokenAnswer(200, { access_token: 't', expires_in: 60 })).useUntilMs).toBe(NOW + 30_000);
  });

  it.each([
    [401, 'invalid_client', 'auth_failed'],
    [400, 'invalid_scope', 'auth_failed'],
    [400, 'unauthorized_client', 'auth_failed'],
    [503, 'temporarily_unavailable', 'upstream_error'],
    [429, 'too_many_requests', 'throttled'],
  ])('HTTP %i %s is %s', (status, error, expected) => {
    expect(failureOf(() => parseEbayTokenAnswer(tokenAnswer(status, { error }))).code).toBe(expected);
  });

  it('rejects a success without a token as invalid_response', () => {
    expect(failureOf(() => parseEbayTokenAnswer(tokenAnswer(200, { expires_in: 7200 }))).code).toBe('invalid_response');
  });
});
