import { capturingLogger } from '@shelfwatch/testing';
import { AnsweredRequest, logRequest } from './request-log';

const SLOW_MS = 1_000;

function answered(overrides: Partial<AnsweredRequest> = {}): AnsweredRequest {
  return {
    reqId: 'req-7',
    method: 'GET',
    url: '/v1/products',
    statusCode: 200,
    responseTimeMs: 12.4,
    headers: { authorization: 'Bearer sw_live_secret' },
    ...overrides,
  };
}

describe('logRequest (the API scope at LOG_LEVEL=info)', () => {
  it('writes nothing for a request answered in time', () => {
    const { logger, lines } = capturingLogger();

    logRequest(logger, SLOW_MS, answered());
    logRequest(logger, SLOW_MS, answered({ statusCode: 404 }));

    expect(lines).toEqual([]);
  });

  it('writes a slow request at warn with its id, path, status and time, without its headers', () => {
    const { logger, entries } = capturingLogger();

    logRequest(logger, SLOW_MS, answered({ responseTimeMs: 1_250.6 }));

    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'slow request',
        reqId: 'req-7',
        method: 'GET',
        url: '/v1/products',
        statusCode: 200,
        responseTime: 1_251,
      }),
    ]);
    expect(entries()[0]).not.toHaveProperty('headers');
  });

  it('writes a failed request (5xx) at info', () => {
    const { logger, entries } = capturingLogger();

    logRequest(logger, SLOW_MS, answered({ statusCode: 504 }));

    expect(entries()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request failed', reqId: 'req-7', statusCode: 504 }),
    ]);
  });
});
