import { HttpStatusError, isClientError, isRetryable } from '@shelfwatch/resilience';
import {
  isNotUpstreamFailure,
  isRetryableNow,
  MarketplaceError,
  type MarketplaceErrorCode,
  toMarketplaceError,
} from './marketplace-error';

const resumeAt = new Date('2026-11-23T15:00:00Z');

const examples: Record<MarketplaceErrorCode, MarketplaceError> = {
  quota_exhausted: MarketplaceError.quotaExhausted(resumeAt),
  tenant_quota_exhausted: new MarketplaceError('tenant_quota_exhausted', { resumeAt }),
  throttled: MarketplaceError.throttled(1_000),
  upstream_error: new MarketplaceError('upstream_error', { httpStatus: 503 }),
  timeout: new MarketplaceError('timeout'),
  invalid_response: new MarketplaceError('invalid_response'),
  auth_failed: new MarketplaceError('auth_failed', { httpStatus: 403 }),
  bad_request: new MarketplaceError('bad_request', { httpStatus: 200, upstreamCode: 'SE02' }),
  breaker_open: new MarketplaceError('breaker_open'),
  cancelled: new MarketplaceError('cancelled'),
};

describe('MarketplaceError classification', () => {
  it.each(Object.entries(examples))('%s: retried now, counted by the breaker, retryable later', (code, err) => {
    const expected: Record<MarketplaceErrorCode, [now: boolean, breakerFailure: boolean, later: boolean]> = {
      quota_exhausted: [false, false, true],
      tenant_quota_exhausted: [false, false, false],
      throttled: [true, true, true],
      upstream_error: [true, true, true],
      timeout: [true, true, true],
      invalid_response: [false, true, true],
      auth_failed: [false, false, false],
      bad_request: [false, false, false],
      breaker_open: [false, true, true],
      cancelled: [false, false, true],
    };

    expect([isRetryableNow(err), !isNotUpstreamFailure(err), err.retryable]).toEqual(
      expected[code as MarketplaceErrorCode],
    );
  });

  it('carries an HTTP-like status that libs/resilience defaults classify the same way', () => {
    expect(examples.upstream_error.status).toBe(503);
    expect(isRetryable(examples.upstream_error)).toBe(true);
    expect(isClientError(examples.bad_request)).toBe(true);
    expect(isClientError(examples.auth_failed)).toBe(true);
    expect(isClientError(examples.throttled)).toBe(false);
    expect(examples.throttled.retryAfterMs).toBe(1_000);
  });

  it('keeps libs/resilience semantics for foreign errors: 4xx other than 408/429 are not failures', () => {
    expect(isNotUpstreamFailure(new HttpStatusError(404))).toBe(true);
    expect(isNotUpstreamFailure(new HttpStatusError(429))).toBe(false);
    expect(isRetryableNow(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableNow(new TypeError('a bug'))).toBe(false);
  });
});

describe('toMarketplaceError', () => {
  const opossum = (code: string): Error => Object.assign(new Error(code), { code });

  it.each([
    ['EOPENBREAKER', 'breaker_open'],
    ['ETIMEDOUT', 'timeout'],
    ['ESHUTDOWN', 'cancelled'],
    ['ECONNREFUSED', 'upstream_error'],
  ])('maps %s to %s', (code, expected) => {
    expect(toMarketplaceError(opossum(code)).code).toBe(expected);
  });

  it('keeps a MarketplaceError as it is', () => {
    expect(toMarketplaceError(examples.throttled)).toBe(examples.throttled);
  });

  it('lets an aborted caller signal decide: a TimeoutError reason is a timeout, anything else a cancel', () => {
    const timedOut = AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));
    const shutDown = AbortSignal.abort(new Error('shutdown'));

    expect(toMarketplaceError(examples.cancelled, timedOut).code).toBe('timeout');
    expect(toMarketplaceError(examples.upstream_error, shutDown).code).toBe('cancelled');
  });
});
