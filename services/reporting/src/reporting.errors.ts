import { DomainError, notFoundMessage, RpcAnyErrorCode } from '@shelfwatch/contracts';

/** Why a report was refused; travels to the gateway as the RPC error code. */
export const ReportingErrorCode = {
  NotFound: 'not_found',
  Invalid: 'invalid',
} as const satisfies Record<string, RpcAnyErrorCode>;
export type ReportingErrorCode = (typeof ReportingErrorCode)[keyof typeof ReportingErrorCode];

/** A refusal the caller can act on; request/reply answers it with its code, as every {@link DomainError}. */
export class ReportingError extends DomainError<ReportingErrorCode> {
  static notFound(what: string, id: string): ReportingError {
    return new ReportingError(ReportingErrorCode.NotFound, notFoundMessage(what, id));
  }

  static invalid(message: string): ReportingError {
    return new ReportingError(ReportingErrorCode.Invalid, message);
  }
}
