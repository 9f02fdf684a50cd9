import { ArgumentsHost } from '@nestjs/common';
import { Msg, NatsConnection, SubscriptionOptions } from '@nats-io/transport-node';
import { DomainError } from '@shelfwatch/contracts';
import { pino } from 'pino';
import { lastValueFrom } from 'rxjs';
import { DeadLetterError, DeadLetterErrorCode } from './dead-letter-store';
import { RpcHandlerError, RpcReply, RpcServer, rpcRefusalOf } from './rpc';
import { Topology } from './topology';
import { RefusalFilter } from './transport/message-outcome.filter';

/** A service's domain error as the services write theirs: a code union of the rpc registry, named factories. */
class ShelfError extends DomainError<'not_found' | 'limit_exceeded'> {
  static notFound(id: string): ShelfError {
    return new ShelfError('not_found', `shelf ${id} not found`);
  }
}

/** An error with a `code` that is not a domain error (a driver error): never a refusal. */
const driverError = Object.assign(new Error('relation does not exist'), { code: 'not_found' });

/** Answers one request on an `RpcServer` over a stand-in connection; resolves with the reply as sent. */
async function answerOf(thrown: Error): Promise<RpcReply<unknown>> {
  let deliver: SubscriptionOptions['callback'] | undefined;
  const nc = {
    subscribe: (_subject: string, options: SubscriptionOptions) => {
      deliver = options.callback;
      return { drain: () => Promise.resolve() };
    },
    info: undefined,
  } as unknown as NatsConnection;
  const server = new RpcServer(nc, new Topology(), 'ranking', pino({ level: 'silent' }));
  server.serve('ranking.fixture', () => Promise.reject(thrown));
  return new Promise((resolve) => {
    const msg = {
      subject: 'rpc.ranking.fixture',
      data: new Uint8Array(2),
      headers: undefined,
      reply: '_INBOX.1',
      json: () => ({}),
      respond: (body: string) => resolve(JSON.parse(body) as RpcReply<unknown>),
    } as unknown as Msg;
    void deliver?.(null, msg);
  });
}

describe('request/reply refusals', () => {
  it('a DomainError keeps its class name, code and message', () => {
    const error = ShelfError.notFound('s1');
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ name: 'ShelfError', code: 'not_found', message: 'shelf s1 not found' });
  });

  it('answers any domain error whose code the rpc registry knows with that code, without a filter', async () => {
    expect(await answerOf(ShelfError.notFound('s1'))).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'shelf s1 not found' },
    });
    expect(await answerOf(new ShelfError('limit_exceeded', 'at most 3 shelves'))).toEqual({
      ok: false,
      error: { code: 'limit_exceeded', message: 'at most 3 shelves' },
    });
    expect(await answerOf(new RpcHandlerError('already_running', 'busy'))).toMatchObject({
      error: { code: 'already_running' },
    });
  });

  it('answers `internal` for a domain error outside the registry and for any other error with a code', async () => {
    const deadLetter = new DeadLetterError(DeadLetterErrorCode.NotADeadLetter, 'sequence 7 is not a dead letter');
    expect(rpcRefusalOf(deadLetter)).toBeUndefined();
    expect(await answerOf(deadLetter)).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
    expect(rpcRefusalOf(driverError)).toBeUndefined();
    expect(await answerOf(driverError)).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
  });

  it('a RefusalFilter translates a foreign error, and passes anything else on unchanged', async () => {
    const filter = new RefusalFilter((error) =>
      error instanceof DeadLetterError ? { code: 'not_found', message: error.message } : undefined,
    );
    const host = {} as ArgumentsHost;
    const deadLetter = new DeadLetterError(DeadLetterErrorCode.NotFound, 'no dead letter 7');
    await expect(lastValueFrom(filter.catch(deadLetter, host))).rejects.toMatchObject({
      name: 'RpcHandlerError',
      code: 'not_found',
      message: 'no dead letter 7',
    });
    await expect(lastValueFrom(filter.catch(driverError, host))).rejects.toBe(driverError);
  });
});
