import { RPC_ERROR_CODES, RpcAnyErrorCode } from './rpc-registry';

/**
 * The base of every typed domain refusal: a `code` from the subclass's closed union, and a message the caller can
 * act on. Services keep their own subclass with named factories (`RankingError.notFound(...)`); what a code means
 * on the wire is decided in one place each: the request/reply answer in `RpcServer` (libs/messaging, any
 * {@link isRpcRefusal}), the HTTP problem in the gateway's problem mapper.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** True for a code of the rpc registry (`RPC_ERROR_CODES`). */
export function isRpcErrorCode(code: string): code is RpcAnyErrorCode {
  return (RPC_ERROR_CODES as readonly string[]).includes(code);
}

/** A domain error whose code a request/reply answer may carry: answered with that code, never as `internal`. */
export function isRpcRefusal(error: unknown): error is DomainError<RpcAnyErrorCode> {
  return error instanceof DomainError && isRpcErrorCode((error as DomainError).code);
}

/** The message of every `not_found` refusal, in every service: `<what> <id> not found`. */
export function notFoundMessage(what: string, id: string | number): string {
  return `${what} ${id} not found`;
}

/** The message of every `limit_exceeded` refusal: the limit, its value and what the tenant can do. */
export function limitExceededMessage(limit: string, max: number): string {
  return `tenant limit reached: at most ${max} ${limit}; remove some before adding more`;
}
