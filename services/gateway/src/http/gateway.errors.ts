import { DomainError, notFoundMessage } from '@shelfwatch/contracts';

/** Why the gateway itself refused a request (RPC errors of the services are mapped in `problem.mapper.ts`). */
export const GatewayErrorCode = {
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Validation: 'validation',
  RateLimited: 'rate_limited',
  IdempotencyInProgress: 'idempotency_in_progress',
  IdempotencyMismatch: 'idempotency_mismatch',
  SecretShownOnce: 'secret_shown_once',
  LimitExceeded: 'limit_exceeded',
  Conflict: 'conflict',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

/** One invalid input field: where it is, which field, what is wrong. */
export interface FieldError {
  in: 'body' | 'query' | 'path' | 'header';
  field: string;
  message: string;
}

/** A typed refusal of the gateway; never an `HttpException` (docs/architecture.md, "Conventions": typed domain errors). */
export class GatewayError extends DomainError<GatewayErrorCode> {
  constructor(
    code: GatewayErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(code, message);
  }

  static unauthorized(message = 'a valid API key is required: Authorization: Bearer <key>'): GatewayError {
    return new GatewayError(GatewayErrorCode.Unauthorized, message);
  }

  static forbidden(message: string): GatewayError {
    return new GatewayError(GatewayErrorCode.Forbidden, message);
  }

  static notFound(what: string, id: string): GatewayError {
    return new GatewayError(GatewayErrorCode.NotFound, notFoundMessage(what, id));
  }

  static validation(errors: FieldError[]): GatewayError {
    return new GatewayError(GatewayErrorCode.Validation, 'the request is invalid', { errors });
  }
}
