/** Why a ranking command or query was refused; travels to callers as the RPC error code. */
export enum RankingErrorCode {
  NotFound = 'not_found',
  Conflict = 'conflict',
  Invalid = 'invalid',
}

/** A refusal the caller can act on (mapped to an RPC domain error in `ranking.rpc.ts`, nowhere else). */
export class RankingError extends Error {
  constructor(
    readonly code: RankingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RankingError';
  }

  static notFound(what: string, id: string): RankingError {
    return new RankingError(RankingErrorCode.NotFound, `${what} ${id} not found`);
  }

  static conflict(message: string): RankingError {
    return new RankingError(RankingErrorCode.Conflict, message);
  }
}
