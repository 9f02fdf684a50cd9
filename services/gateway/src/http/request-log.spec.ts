import { capturingLogger } from '@shelfwatch/testing';
import { Logger } from 'pino';
import { AnsweredRequest, LineBudget, logRequest } from './request-log';

const SLOW_MS = 1_000;

/** The request log's options with a budget no test of the levels reaches. */
function options(logger: Logger, budget = new LineBudget(1_000)): Parameters<typeof logRequest>[0] {
  return { logger, slowRequestMs: SLOW_MS, budget };
}

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

    logRequest(options(logger), answered());
    logRequest(options(logger), answered({ statusCode: 404 }));

    expect(lines).toEqual([]);
  });

  it('writes a slow request at warn with its id, path, status and time, without its headers', () => {
    const { logger, entries } = capturingLogger();

    logRequest(options(logger), answered({ responseTimeMs: 1_250.6 }));

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

    logRequest(options(logger), answered({ statusCode: 504 }));

    expect(entries()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request failed', reqId: 'req-7', statusCode: 504 }),
    ]);
  });

  it('writes at most the budget of slow lines a second, and the next line says how many it dropped', () => {
    const { logger, entries } = capturingLogger();
    let now = 0;
    const budget = new LineBudget(3, () => now);

    for (let i = 0; i < 10; i += 1) {
      logRequest(options(logger, budget), answered({ responseTimeMs: 2_000, reqId: `req-${i}` }));
    }
    now = 1_000;
    logRequest(options(logger, budget), answered({ statusCode: 503, reqId: 'req-next' }));

    const lines = entries();
    expect(lines.map((line) => line.reqId)).toEqual(['req-0', 'req-1', 'req-2', 'req-next']);
    expect(lines.slice(0, 3).every((line) => !('suppressedLines' in line))).toBe(true);
    expect(lines[3]).toMatchObject({ level: 'info', suppressedLines: 7 });
  });
});

describe('LineBudget', () => {
  it('lets `perSecond` lines through in each second from the first line of that second', () => {
    let now = 500;
    const budget = new LineBudget(2, () => now);

    expect([budget.take(), budget.take(), budget.take()]).toEqual([0, 0, null]);
    now = 1_499;
    expect(budget.take()).toBeNull();
    now = 1_500;
    expect([budget.take(), budget.take(), budget.take()]).toEqual([2, 0, null]);
  });
});
