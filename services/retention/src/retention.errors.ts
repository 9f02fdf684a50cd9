import { DomainError, RpcAnyErrorCode } from '@shelfwatch/contracts';

/** Why a retention command or query was refused; travels to callers as the RPC error code. */
export const RetentionErrorCode = {
  NotFound: 'not_found',
  Invalid: 'invalid',
} as const satisfies Record<string, RpcAnyErrorCode>;
export type RetentionErrorCode = (typeof RetentionErrorCode)[keyof typeof RetentionErrorCode];

/** A refusal the caller can act on; request/reply answers it with its code, as every {@link DomainError}. */
export class RetentionError extends DomainError<RetentionErrorCode> {
  static notFound(message: string): RetentionError {
    return new RetentionError(RetentionErrorCode.NotFound, message);
  }

  /** Fields the caller sent that are not allowed, as `field: message; other: message` (the gateway's field errors). */
  static invalid(fields: string[]): RetentionError {
    return new RetentionError(RetentionErrorCode.Invalid, fields.join('; '));
  }
}
