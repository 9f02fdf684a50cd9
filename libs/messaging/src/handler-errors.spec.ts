import { HttpStatusError } from '@shelfwatch/resilience';
import { HandlerTimeoutError, PermanentHandlerError, classifyHandlerError } from './handler-errors';
import { RpcUnavailableError } from './rpc';

function withCode(code: string, message = 'driver error', name = 'Error'): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  error.name = name;
  return error;
}

describe('classifyHandlerError', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', withCode('ECONNRESET')],
    ['socket timeout', withCode('ETIMEDOUT')],
    ['pg connection failure (class 08)', withCode('08006')],
    ['pg admin shutdown (failover)', withCode('57P01')],
    ['pg too many connections', withCode('53300')],
    ['serialization failure', withCode('40001', 'could not serialize', 'DeadlockException')],
    ['deadlock', withCode('40P01')],
    ['lost connection without a code', new Error('Connection terminated unexpectedly')],
    ['pool exhausted', new Error('timeout exceeded when trying to connect')],
    ['NATS request timeout', Object.assign(new Error('timeout'), { name: 'TimeoutError' })],
    ['open breaker of a dependency', withCode('EOPENBREAKER', 'Breaker is open')],
    ['upstream 503', new HttpStatusError(503)],
    ['the handler timeout', new HandlerTimeoutError(30_000)],
    ['a transient cause wrapped by a library', new Error('query failed', { cause: withCode('57P01') })],
    [
      'a service that did not answer a request in time',
      new RpcUnavailableError('retention.policy.kind', Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
    ],
    [
      'a service nobody serves right now',
      new RpcUnavailableError(
        'retention.policy.kind',
        Object.assign(new Error('no responders'), { name: 'NoResponders' }),
      ),
    ],
  ])('%s is transient', (_name, error) => {
    expect(classifyHandlerError(error)).toBe('transient');
  });

  it.each([
    ['a handler that says it can never succeed', new PermanentHandlerError('unknown_product', 'never tracked')],
    ['the same, wrapped', new Error('wrapped', { cause: new PermanentHandlerError('rule', 'rejected') })],
  ])('%s is permanent', (_name, error) => {
    expect(classifyHandlerError(error)).toBe('permanent');
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a constraint violation', withCode('23505', 'duplicate key', 'UniqueConstraintViolationException')],
    ['a missing table', withCode('42P01', 'relation does not exist')],
    ['an upstream 404', new HttpStatusError(404)],
    ['a thrown string', 'boom'],
    ['a reply that is not the contract', new RpcUnavailableError('ranking.product.get', new Error('malformed reply'))],
  ])('%s is unclassified (retried a bounded number of times)', (_name, error) => {
    expect(classifyHandlerError(error)).toBe('unclassified');
  });
});
