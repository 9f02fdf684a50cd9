import { JetStreamApiError } from '@nats-io/jetstream';
import { InvalidArgumentError, InvalidSubjectError, PermissionViolationError } from '@nats-io/transport-node';

/** Why the broker will never accept a message, whatever the number of attempts. */
export type PublishRejection = 'too_large' | 'permission_denied' | 'invalid_subject' | 'rejected_by_stream';

/**
 * The reason a failed publish can never succeed, or null when a later attempt may (NATS down, a timeout, no
 * stream listening yet, a stream out of space): the payload is above the server's `max_payload` (nats.js
 * refuses it before sending), the connection may not publish on the subject, the subject is malformed, or the
 * stream answered 400 (a message above its `max_msg_size`, a malformed header).
 */
export function publishRejection(error: unknown): PublishRejection | null {
  const errors = causes(error);
  if (errors.some((e) => e instanceof PermissionViolationError)) {
    return 'permission_denied';
  }
  if (errors.some((e) => e instanceof InvalidSubjectError)) {
    return 'invalid_subject';
  }
  if (errors.some((e) => e instanceof InvalidArgumentError && e.message.includes('max_payload'))) {
    return 'too_large';
  }
  if (errors.some((e) => e instanceof JetStreamApiError && e.status === 400)) {
    return 'rejected_by_stream';
  }
  return null;
}

/** The error and its chain of causes (nats.js wraps a permission error of a request in a RequestError). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && chain.length < 5) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}
