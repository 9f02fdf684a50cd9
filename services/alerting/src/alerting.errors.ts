import { DomainError, limitExceededMessage, notFoundMessage, RpcAnyErrorCode } from '@shelfwatch/contracts';

/** Why an alerting command or query was refused; travels to callers as the RPC error code. */
export const AlertingErrorCode = {
  NotFound: 'not_found',
  Invalid: 'invalid',
  Conflict: 'conflict',
  /** A tenant limit would be exceeded; the message names the limit and its value. */
  LimitExceeded: 'limit_exceeded',
} as const satisfies Record<string, RpcAnyErrorCode>;
export type AlertingErrorCode = (typeof AlertingErrorCode)[keyof typeof AlertingErrorCode];

/** A refusal the caller can act on; request/reply answers it with its code, as every {@link DomainError}. */
export class AlertingError extends DomainError<AlertingErrorCode> {
  static notFound(what: string, id: string): AlertingError {
    return new AlertingError(AlertingErrorCode.NotFound, notFoundMessage(what, id));
  }

  static limitExceeded(limit: string, max: number): AlertingError {
    return new AlertingError(AlertingErrorCode.LimitExceeded, limitExceededMessage(limit, max));
  }
}
