import { DomainError, limitExceededMessage, notFoundMessage, RpcAnyErrorCode } from '@shelfwatch/contracts';

/** Why a ranking command or query was refused; travels to callers as the RPC error code. */
export const RankingErrorCode = {
  NotFound: 'not_found',
  Conflict: 'conflict',
  Invalid: 'invalid',
  /** A tenant limit (products, keywords) would be exceeded; the message names the limit and its value. */
  LimitExceeded: 'limit_exceeded',
} as const satisfies Record<string, RpcAnyErrorCode>;
export type RankingErrorCode = (typeof RankingErrorCode)[keyof typeof RankingErrorCode];

/** A refusal the caller can act on; request/reply answers it with its code, as every {@link DomainError}. */
export class RankingError extends DomainError<RankingErrorCode> {
  static notFound(what: string, id: string): RankingError {
    return new RankingError(RankingErrorCode.NotFound, notFoundMessage(what, id));
  }

  static conflict(message: string): RankingError {
    return new RankingError(RankingErrorCode.Conflict, message);
  }

  /** A field the caller sent is not allowed (e.g. below the plan's minimum): `field: message`. */
  static invalid(field: string, message: string): RankingError {
    return new RankingError(RankingErrorCode.Invalid, `${field}: ${message}`);
  }

  static limitExceeded(limit: string, max: number): RankingError {
    return new RankingError(RankingErrorCode.LimitExceeded, limitExceededMessage(limit, max));
  }
}
