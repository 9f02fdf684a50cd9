import { randomUUID } from 'node:crypto';
import { TimeoutError } from '@nats-io/transport-node';
import { RPC_ERROR_CODES, RpcAnyErrorCode } from '@shelfwatch/contracts';
import { RpcRemoteError, RpcUnavailableError } from '@shelfwatch/messaging';
import { isBreakerOpen } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { Problem, ProblemSlug, problem } from './problem';

/** A mapped error: the problem to send and, for 429, how long to wait. */
export interface MappedProblem {
  problem: Problem;
  retryAfterSeconds?: number;
}

function fromGatewayError(error: GatewayError): MappedProblem {
  switch (error.code) {
    case GatewayErrorCode.Unauthorized:
      return { problem: problem('unauthorized', error.message) };
    case GatewayErrorCode.Forbidden:
      return { problem: problem('forbidden', error.message) };
    case GatewayErrorCode.NotFound:
      return { problem: problem('not-found', error.message) };
    case GatewayErrorCode.Validation:
      return { problem: problem('validation', error.message, { errors: error.details.errors ?? [] }) };
    case GatewayErrorCode.RateLimited:
      return { problem: problem('rate-limited', error.message), retryAfterSeconds: error.details.retryAfterSeconds };
    case GatewayErrorCode.IdempotencyInProgress:
      return { problem: problem('idempotency-in-progress', error.message) };
    case GatewayErrorCode.IdempotencyMismatch:
      return { problem: problem('idempotency-key-reused', error.message) };
    case GatewayErrorCode.LimitExceeded:
      return { problem: problem('limit-exceeded', error.message) };
    case GatewayErrorCode.SecretShownOnce:
      return { problem: problem('secret-shown-once', error.message) };
    case GatewayErrorCode.Conflict:
      return { problem: problem('conflict', error.message) };
    default: {
      const unhandled: never = error.code;
      throw new Error(`unhandled gateway error ${String(unhandled)}`);
    }
  }
}

/**
 * The problem of each error code of the rpc registry (`RPC_ERROR_CODES`, docs/messaging.md): a code added there
 * fails to compile here until it is mapped. `internal` (and any code outside the registry) stays a 500.
 */
const RPC_PROBLEMS: Record<RpcAnyErrorCode, { slug: ProblemSlug; retryAfterSeconds?: number } | null> = {
  invalid: { slug: 'validation' },
  answer_too_large: { slug: 'answer-too-large' },
  internal: null,
  not_found: { slug: 'not-found' },
  conflict: { slug: 'conflict' },
  already_running: { slug: 'crawl-already-running' },
  limit_exceeded: { slug: 'limit-exceeded' },
  // A dead letter's handler failed again: it stays parked.
  replay_failed: { slug: 'conflict' },
  credentials_rejected: { slug: 'credentials-rejected' },
  // The marketplace could not be asked now: worth a retry shortly.
  credentials_unverified: { slug: 'credentials-unverified', retryAfterSeconds: 30 },
};

function isRpcErrorCode(code: string): code is RpcAnyErrorCode {
  return (RPC_ERROR_CODES as readonly string[]).includes(code);
}

/** A service's refusal as its problem; `invalid` carries the field errors its message names. */
function fromRemoteError(error: RpcRemoteError): MappedProblem | null {
  const mapped = isRpcErrorCode(error.code) ? RPC_PROBLEMS[error.code] : null;
  if (mapped === null) {
    return null;
  }
  const extra = mapped.slug === 'validation' ? { errors: remoteFieldErrors(error.message) } : {};
  const answer: MappedProblem = { problem: problem(mapped.slug, error.message, extra) };
  return mapped.retryAfterSeconds === undefined ? answer : { ...answer, retryAfterSeconds: mapped.retryAfterSeconds };
}

/** `parseRequest` answers "field: message; other: message"; turn it back into field errors. */
function remoteFieldErrors(message: string): Problem['errors'] {
  return message.split('; ').map((part) => {
    const at = part.indexOf(': ');
    const field = at < 0 ? '' : part.slice(0, at);
    return /^[\w.()-]+$/.test(field)
      ? { in: 'body', field, message: part.slice(at + 2) }
      : { in: 'body', field: '(root)', message: part };
  });
}

function isTimeout(reason: unknown): boolean {
  return (
    reason instanceof TimeoutError ||
    (reason instanceof Error && (reason.cause instanceof TimeoutError || reason.name === 'TimeoutError'))
  );
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message: string;
}

/** Errors raised by Fastify itself before a handler runs (body parsing, size, media type). */
function fromFrameworkError(error: FastifyLikeError): MappedProblem | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: problem('payload-too-large', error.message) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { problem: problem('unsupported-media-type', 'send the body as application/json') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { problem: problem('malformed-body', error.message) };
    default:
      break;
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 0;
  if (error instanceof SyntaxError || (status >= 400 && status < 500)) {
    return { problem: problem('malformed-body', error.message) };
  }
  return null;
}

/**
 * The one place where errors become HTTP answers (docs/architecture.md, "Conventions": typed domain errors): gateway refusals, the services' domain
 * errors, downstream trouble (no responder or open breaker → 503, timeout → 504) and Fastify's own
 * parsing errors. Anything else is a 500 whose `errorId` is logged with the error and the request's id (`reqId`,
 * as in the request log of the API scope, request-log.ts).
 */
export function toProblem(error: unknown, logger: Logger, instance?: string, reqId?: string): MappedProblem {
  const mapped = knownProblem(error);
  if (mapped) {
    return { ...mapped, problem: { ...mapped.problem, instance } };
  }
  const errorId = randomUUID();
  logger.error({ err: error, errorId, instance, reqId }, 'unexpected error');
  return { problem: problem('internal', 'unexpected error; quote the errorId', { errorId, instance }) };
}

/** The problem of an error the API knows how to answer; null for an unexpected one (a 500). */
export function knownProblem(error: unknown): MappedProblem | null {
  if (error instanceof GatewayError) {
    return fromGatewayError(error);
  }
  if (error instanceof RpcRemoteError) {
    return fromRemoteError(error);
  }
  if (error instanceof RpcUnavailableError) {
    return isTimeout(error.reason)
      ? { problem: problem('service-timeout', `${error.subject} did not answer in time`) }
      : { problem: problem('service-unavailable', `no instance serves ${error.subject} right now`) };
  }
  if (error instanceof Error && 'code' in error && error.code === 'ETIMEDOUT') {
    return { problem: problem('service-timeout', 'the service did not answer in time') };
  }
  if (isBreakerOpen(error)) {
    return { problem: problem('service-unavailable', 'the service is failing; retry later'), retryAfterSeconds: 5 };
  }
  if (error instanceof Error) {
    return fromFrameworkError(error);
  }
  return null;
}
