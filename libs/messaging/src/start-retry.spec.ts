import { JetStreamApiError } from '@nats-io/jetstream';
import { ClosedConnectionError, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { isTransientNatsError } from './start-retry';

describe('isTransientNatsError', () => {
  it.each([
    ['a request that timed out', new TimeoutError()],
    ['a request cut by the disconnect', new RequestError('connection disconnected')],
    [
      'nobody answering the JetStream API',
      new RequestError('no responders', { cause: new NoRespondersError('$JS.API.INFO') }),
    ],
    [
      'JetStream temporarily unavailable (503)',
      new JetStreamApiError({ code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' }),
    ],
    ['a transient error wrapped by our own code', new Error('provisioning failed', { cause: new TimeoutError() })],
  ])('retries %s', (_, error) => {
    expect(isTransientNatsError(error)).toBe(true);
  });

  it.each([
    [
      'a configuration JetStream refuses',
      new JetStreamApiError({
        code: 400,
        err_code: 10058,
        description: 'stream name already in use with a different configuration',
      }),
    ],
    ['a connection closed for good', new ClosedConnectionError()],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a thrown string', 'timeout'],
  ])('does not retry %s', (_, error) => {
    expect(isTransientNatsError(error)).toBe(false);
  });
});
