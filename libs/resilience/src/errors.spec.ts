import {
  HttpStatusError,
  httpStatusOf,
  isBreakerOpen,
  isClientError,
  isRetryable,
  parseRetryAfter,
  retryAfterOf,
  withoutStackTrace,
} from './errors';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const clock = (): number => NOW;
const withCode = (code: string): Error => Object.assign(new Error(code), { code });

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['0', 0],
    ['Sun, 22 Nov 2026 10:00:30 GMT', 30_000],
    ['Sun, 22 Nov 2026 09:00:00 GMT', 0],
  ])('reads %p as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, clock)).toBe(expected);
  });

  it.each([null, undefined, '', '1.5', '-3', 'soon', '5s'])('ignores %p', (value) => {
    expect(parseRetryAfter(value, clock)).toBeUndefined();
  });
});

describe('HttpStatusError', () => {
  it('is built from a fetch Response with Retry-After parsed against the clock', () => {
    const response = new Response(null, {
      status: 429,
      headers: { 'retry-after': 'Sun, 22 Nov 2026 10:00:07 GMT' },
    });

    const err = HttpStatusError.fromResponse(response, clock);

    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 7_000, code: 'EHTTPSTATUS', message: 'HTTP 429' });
    expect(retryAfterOf(err)).toBe(7_000);
  });

  it('has no retryAfterMs without the header', () => {
    const err = HttpStatusError.fromResponse(new Response(null, { status: 503 }), clock);

    expect(err.retryAfterMs).toBeUndefined();
    expect(retryAfterOf(err)).toBeUndefined();
  });
});

describe('classification', () => {
  it.each([500, 502, 503, 504, 408, 429])('retries HTTP %i', (status) => {
    expect(isRetryable(new HttpStatusError(status))).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry HTTP %i', (status) => {
    expect(isRetryable(new HttpStatusError(status))).toBe(false);
  });

  it('retries network errors and timeouts, including ones wrapped by fetch', () => {
    expect(isRetryable(withCode('ECONNRESET'))).toBe(true);
    expect(isRetryable(withCode('ETIMEDOUT'))).toBe(true);
    expect(isRetryable(new TypeError('fetch failed', { cause: withCode('UND_ERR_CONNECT_TIMEOUT') }))).toBe(true);
    expect(isRetryable(new DOMException('signal timed out', 'TimeoutError'))).toBe(true);
  });

  it('never retries an open, saturated or shut-down breaker, a cancellation or an unknown error', () => {
    for (const err of [
      withCode('EOPENBREAKER'),
      withCode('ESEMLOCKED'),
      withCode('ESHUTDOWN'),
      new DOMException('aborted', 'AbortError'),
      new TypeError('x is not a function'),
      'a string',
    ]) {
      expect(isRetryable(err)).toBe(false);
    }
  });

  it('recognises the open-breaker error only', () => {
    expect(isBreakerOpen(withCode('EOPENBREAKER'))).toBe(true);
    expect(isBreakerOpen(withCode('ETIMEDOUT'))).toBe(false);
    expect(isBreakerOpen({ code: 'EOPENBREAKER' })).toBe(false);
  });

  it('counts only 4xx other than 408/429 as client errors, reading status or statusCode', () => {
    expect(isClientError(new HttpStatusError(404))).toBe(true);
    expect(isClientError({ statusCode: 400 })).toBe(true);
    expect([408, 429, 500, 302].map((status) => isClientError(new HttpStatusError(status)))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(httpStatusOf(new Error('no status'))).toBeUndefined();
  });
});

describe('withoutStackTrace', () => {
  it('builds an error whose stack is its first line only, and captures stacks again afterwards', () => {
    const bare = withoutStackTrace(() => new Error('timeout'));
    const traced = new Error('timeout');

    expect(bare.stack).toBe('Error: timeout');
    expect(traced.stack).toContain('\n    at ');
  });

  it('restores stack capture when the builder throws', () => {
    expect(() =>
      withoutStackTrace(() => {
        throw new Error('builder failed');
      }),
    ).toThrow('builder failed');

    expect(new Error('later').stack).toContain('\n    at ');
  });
});
