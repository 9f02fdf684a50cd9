import { RefusalFilter } from '@shelfwatch/messaging';

/** Why a report was refused; travels to the gateway as the RPC error code. */
export enum ReportingErrorCode {
  NotFound = 'not_found',
  Invalid = 'invalid',
}

/** A refusal the caller can act on (mapped to an RPC domain error in {@link answer}, nowhere else). */
export class ReportingError extends Error {
  constructor(
    readonly code: ReportingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportingError';
  }

  static notFound(what: string, id: string): ReportingError {
    return new ReportingError(ReportingErrorCode.NotFound, `${what} ${id} not found`);
  }

  static invalid(message: string): ReportingError {
    return new ReportingError(ReportingErrorCode.Invalid, message);
  }
}

/** Maps reporting's {@link ReportingError}s to their request/reply code: `@UseFilters(reportingRefusals)`. */
export const reportingRefusals = new RefusalFilter((error) => (error instanceof ReportingError ? error : undefined));
