import { RefusalFilter } from '@shelfwatch/messaging';
import { WebhookUrlRefused } from './webhooks/url-policy';

/** Why an alerting command or query was refused; travels to callers as the RPC error code. */
export enum AlertingErrorCode {
  NotFound = 'not_found',
  Invalid = 'invalid',
  Conflict = 'conflict',
  /** A tenant limit would be exceeded; the message names the limit and its value. */
  LimitExceeded = 'limit_exceeded',
}

/** A refusal the caller can act on (mapped to an RPC domain error in {@link answer}, nowhere else). */
export class AlertingError extends Error {
  constructor(
    readonly code: AlertingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AlertingError';
  }

  static notFound(what: string, id: string): AlertingError {
    return new AlertingError(AlertingErrorCode.NotFound, `${what} ${id} not found`);
  }

  static limitExceeded(limit: string, max: number): AlertingError {
    return new AlertingError(
      AlertingErrorCode.LimitExceeded,
      `tenant limit reached: at most ${max} ${limit}; delete one before adding more`,
    );
  }
}

/**
 * Maps alerting's refusals to request/reply error codes (`@UseFilters(alertingRefusals)` on its request
 * controllers): its {@link AlertingError}s answer with their code, a refused webhook URL with `invalid` and the
 * reason (the gateway answers 400).
 */
export const alertingRefusals = new RefusalFilter((error) => {
  if (error instanceof AlertingError) {
    return error;
  }
  return error instanceof WebhookUrlRefused ? { code: AlertingErrorCode.Invalid, message: error.message } : undefined;
});
