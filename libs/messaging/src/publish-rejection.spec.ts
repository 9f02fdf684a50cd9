import { JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import {
  InvalidArgumentError,
  InvalidSubjectError,
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { publishRejection } from './publish-rejection';

describe('publishRejection', () => {
  it('names the errors a later attempt cannot change', () => {
    expect(publishRejection(InvalidArgumentError.format('payload', 'max_payload size exceeded'))).toBe('too_large');
    expect(publishRejection(new InvalidSubjectError('a b'))).toBe('invalid_subject');
    const denied = PermissionViolationError.parse(
      `'Permissions Violation for Publish to "shelfwatch.crawl.completed"'`,
    );
    expect(denied).not.toBeNull();
    // nats.js rejects the request of a denied publish with the permission error, possibly wrapped.
    expect(publishRejection(denied)).toBe('permission_denied');
    expect(publishRejection(new RequestError('denied', { cause: denied }))).toBe('permission_denied');
    const tooBig = new JetStreamApiError({
      code: 400,
      err_code: 10054,
      description: 'message size exceeds maximum allowed',
    });
    expect(publishRejection(tooBig)).toBe('rejected_by_stream');
  });

  it('leaves every passing failure to a retry', () => {
    expect(publishRejection(new TimeoutError())).toBeNull();
    expect(publishRejection(new RequestError('no responders', { cause: new NoRespondersError('x') }))).toBeNull();
    expect(publishRejection(new JetStreamError('jetstream is not enabled'))).toBeNull();
    const full = new JetStreamApiError({ code: 503, err_code: 10077, description: 'maximum messages exceeded' });
    expect(publishRejection(full)).toBeNull();
    expect(publishRejection(InvalidArgumentError.format('timeout', 'must be positive'))).toBeNull();
    expect(publishRejection(new Error('CONNECTION_CLOSED'))).toBeNull();
    expect(publishRejection('a string')).toBeNull();
  });
});
