import { TimeoutError } from '@nats-io/transport-node';
import { rpcRegistry, rpcSubjects } from '@shelfwatch/contracts';
import { RpcRemoteError, RpcUnavailableError } from '@shelfwatch/messaging';
import { capturingLogger } from '@shelfwatch/testing';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { toProblem } from './problem.mapper';

describe('toProblem', () => {
  const { logger, lines } = capturingLogger();

  it('maps the services’ domain errors to 400, 404 and 409 with stable types', () => {
    expect(toProblem(new RpcRemoteError('invalid', 'price: Too small'), logger).problem).toMatchObject({
      status: 400,
      type: 'https://shelfwatch.dev/problems/validation',
      errors: [{ field: 'price', message: 'Too small' }],
    });
    expect(toProblem(new RpcRemoteError('not_found', 'product x not found'), logger).problem.status).toBe(404);
    expect(toProblem(new RpcRemoteError('conflict', 'exists'), logger).problem.status).toBe(409);
    expect(toProblem(new RpcRemoteError('already_running', 'busy'), logger).problem).toMatchObject({
      status: 409,
      type: 'https://shelfwatch.dev/problems/crawl-already-running',
    });
  });

  it('answers every error code of every rpc subject with its own problem, and only `internal` with a 500', () => {
    for (const subject of rpcSubjects) {
      for (const code of rpcRegistry[subject].errors) {
        const { problem } = toProblem(new RpcRemoteError(code, 'refused'), logger);
        expect({ subject, code, internal: problem.status === 500 }).toEqual({
          subject,
          code,
          internal: code === 'internal',
        });
      }
    }
    expect(toProblem(new RpcRemoteError('credentials_unverified', 'later'), logger).retryAfterSeconds).toBe(30);
    expect(toProblem(new RpcRemoteError('replay_failed', 'parked'), logger).problem.status).toBe(409);
  });

  it('tells the caller to narrow the request when the answer would be too large (422, not a 500)', () => {
    const message =
      'the answer (1834112 bytes) exceeds the 1040384-byte message limit; narrow the request (a smaller limit)';
    expect(toProblem(new RpcRemoteError('answer_too_large', message), logger).problem).toEqual({
      type: 'https://shelfwatch.dev/problems/answer-too-large',
      title: 'The answer would be too large; ask for less',
      status: 422,
      detail: message,
      instance: undefined,
    });
  });

  it('answers 504 for a timeout and 503 when nobody serves the subject', () => {
    const timeout = new RpcUnavailableError('ranking.product.list', new TimeoutError());
    expect(toProblem(timeout, logger).problem.status).toBe(504);
    const nobody = new RpcUnavailableError('ranking.product.list', new Error('503'));
    expect(toProblem(nobody, logger).problem.status).toBe(503);
  });

  it('answers every code of the gateway’s own refusals from the same table, none with a 500', () => {
    for (const code of Object.values(GatewayErrorCode)) {
      const { problem } = toProblem(new GatewayError(code, 'refused'), logger);
      expect({ code, internal: problem.status === 500 }).toEqual({ code, internal: false });
    }
    expect(toProblem(GatewayError.notFound('product', 'p1'), logger).problem).toEqual(
      toProblem(new RpcRemoteError('not_found', 'product p1 not found'), logger).problem,
    );
    const invalid = GatewayError.validation([{ in: 'query', field: 'limit', message: 'too big' }]);
    expect(toProblem(invalid, logger).problem).toMatchObject({ status: 400, errors: [{ field: 'limit' }] });
  });

  it('carries Retry-After for rate limiting', () => {
    const limited = new GatewayError(GatewayErrorCode.RateLimited, 'slow down', { retryAfterSeconds: 3 });
    expect(toProblem(limited, logger)).toMatchObject({ problem: { status: 429 }, retryAfterSeconds: 3 });
  });

  it('answers anything unexpected with 500 and an errorId that is also in the log', () => {
    const mapped = toProblem(new TypeError('boom'), logger, '/v1/products', 'req-42');
    expect(mapped.problem).toMatchObject({ status: 500, errorId: expect.any(String), instance: '/v1/products' });
    expect(mapped.problem.detail).not.toContain('boom');
    const logged = lines.find((line) => line.includes(mapped.problem.errorId ?? 'none'));
    expect(logged).toContain('boom');
    // The request's id, as in the API scope's request log (request-log.ts).
    expect(logged).toContain('"reqId":"req-42"');
    expect(toProblem(new RpcRemoteError('internal', 'internal error'), logger).problem.status).toBe(500);
  });
});
