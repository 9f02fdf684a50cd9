import { randomUUID } from 'node:crypto';
import { Msg, NatsConnection, Subscription, headers as natsHeaders } from '@nats-io/transport-node';
import { Span, SpanKind, context, trace } from '@opentelemetry/api';
import { DomainError, controlCharacterIssues, isRpcRefusal } from '@shelfwatch/contracts';
import {
  extractContext,
  getTracer,
  injectContext,
  recordRpcOutcome,
  rpcSpanAttributes,
} from '@shelfwatch/observability';
import { withoutStackTrace } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { z } from 'zod';
import { messagingMetrics } from './messaging-metrics';
import { Topology } from './topology';

/**
 * Wire subject of a request/reply subject. The `rpc.` prefix keeps requests out of the domain streams:
 * `ranking.query.x` would be captured by the RANKING stream (`ranking.>`), which would answer with a PubAck.
 */
export function rpcSubject(topology: Topology, subject: string): string {
  return topology.subject(`rpc.${subject}`);
}

function isReply(body: unknown): body is RpcReply<unknown> {
  return typeof body === 'object' && body !== null && typeof (body as { ok?: unknown }).ok === 'boolean';
}

/** Reply envelope of every request/reply exchange between services. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** The called service answered with an error (its domain error code is kept). */
export class RpcRemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcRemoteError';
  }
}

/**
 * No instance answered in time, or none is subscribed: the caller should answer 503/504. The NATS error is its
 * `cause` as well, so a message handler that fails on it is retried as long as the answer does not come (the
 * timeout or no-responders error is transient for `classifyHandlerError`), not dead-lettered as a bug would be.
 */
export class RpcUnavailableError extends Error {
  constructor(
    readonly subject: string,
    readonly reason: unknown,
  ) {
    super(`no answer from ${subject}: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
    this.name = 'RpcUnavailableError';
  }
}

/**
 * An answer encoded once, sent as it is: the reply's bytes (`{"ok":true,"data":<json>}`), so that a handler answering
 * the same thing many times (a cached report) neither serialises nor allocates it again for each request. What the
 * caller receives is the same as for the plain value.
 */
export class EncodedAnswer<T> {
  private constructor(readonly bytes: Uint8Array) {}

  static of<T>(value: T): EncodedAnswer<T> {
    return new EncodedAnswer<T>(Buffer.from(`{"ok":true,"data":${JSON.stringify(value)}}`));
  }

  /** The answer as a caller reads it (for callers in the same process). */
  value(): T {
    return (JSON.parse(Buffer.from(this.bytes).toString('utf8')) as { data: T }).data;
  }
}

/** A query or command handler served over NATS request/reply. */
export type RpcHandlerFn = (payload: unknown) => Promise<unknown>;

/**
 * A refusal with any code, for the request/reply layer itself (`invalid` from {@link parseRequest}) and for a
 * refusal passed on from another service; a use case throws its service's {@link DomainError} subclass instead.
 */
export class RpcHandlerError extends DomainError {}

/** Validates a request payload (no control character in any string, then the schema); answers `invalid` naming every failing field otherwise. */
export function parseRequest<T>(schema: z.ZodType<T>, payload: unknown): T {
  const unsafe = controlCharacterIssues(payload);
  if (unsafe.length > 0) {
    throw new RpcHandlerError('invalid', unsafe.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RpcHandlerError('invalid', issues.join('; '));
  }
  return result.data;
}

/** A use case's refusal the caller can act on: its code travels as the RPC error code (`not_found`, ...). */
export interface CodedRefusal {
  readonly code: string;
  readonly message: string;
}

/**
 * The one rule that turns a handler's error into a request/reply refusal: an {@link RpcHandlerError} answers its
 * code, any other {@link DomainError} answers its code when the rpc registry knows it (`isRpcRefusal`); anything
 * else is not a refusal (answered `internal`). A foreign error is translated before it gets here (`RefusalFilter`).
 */
export function rpcRefusalOf(error: unknown): CodedRefusal | undefined {
  return error instanceof RpcHandlerError || isRpcRefusal(error) ? error : undefined;
}

/**
 * Runs one request/reply call: validates the payload (`invalid` naming every failing field), runs the use
 * case, and answers the foreign errors `refusalOf` recognises with their code. Domain errors need no mapping
 * ({@link rpcRefusalOf}); anything else stays `internal`.
 */
export async function answerRequest<T, R>(
  schema: z.ZodType<T>,
  payload: unknown,
  run: (input: T) => Promise<R>,
  refusalOf: (error: unknown) => CodedRefusal | undefined,
): Promise<R> {
  const input = parseRequest(schema, payload);
  try {
    return await run(input);
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal !== undefined) {
      throw new RpcHandlerError(refusal.code, refusal.message);
    }
    throw error;
  }
}

/** How a request ended, as `shelfwatch_rpc_request_duration_seconds` labels it. */
type RpcOutcome = 'ok' | 'remote_error' | 'unavailable';

/** Sends requests to other services with a timeout, carrying trace context in headers. */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly topology: Topology,
  ) {}

  async request<T>(subject: string, payload: unknown, timeoutMs = 5_000): Promise<T> {
    const target = rpcSubject(this.topology, subject);
    const data = JSON.stringify(payload);
    const attributes = rpcSpanAttributes('client', target, Buffer.byteLength(data));
    return getTracer().startActiveSpan(`request ${subject}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const stopTimer = messagingMetrics.rpcSeconds.startTimer({ subject });
      let outcome: RpcOutcome = 'ok';
      try {
        const headers = natsHeaders();
        injectContext(headers);
        const reply = await this.nc.request(target, data, { timeout: timeoutMs, headers }).catch((error: unknown) => {
          // Expected under overload; its stack would only show this callback (withoutStackTrace).
          throw withoutStackTrace(() => new RpcUnavailableError(subject, error));
        });
        const body: unknown = reply.json();
        if (!isReply(body)) {
          throw new RpcUnavailableError(subject, new Error('malformed reply'));
        }
        const replyBytes = reply.data.length;
        if (!body.ok) {
          const { code, message } = body.error;
          recordRpcOutcome(span, { outcome: 'error_reply', code, replyBytes, message: `${code}: ${message}` }, true);
          throw new RpcRemoteError(code, message);
        }
        recordRpcOutcome(span, { outcome: 'ok', replyBytes }, false);
        return body.data as T;
      } catch (error) {
        outcome = error instanceof RpcRemoteError ? 'remote_error' : 'unavailable';
        if (!(error instanceof RpcRemoteError)) {
          recordRpcOutcome(span, { outcome: 'unavailable', message: String(error) }, true);
        }
        throw error;
      } finally {
        stopTimer({ outcome });
        span.end();
      }
    });
  }
}

/** Codes the request/reply layer answers with by itself; handlers add their own domain codes. */
export const RpcErrorCode = {
  /** The request is not JSON, or fails the subject's schema. */
  Invalid: 'invalid',
  /** The answer would not fit in one NATS message; the caller should ask for less. */
  AnswerTooLarge: 'answer_too_large',
  /** Anything unexpected; details stay in the service's log. */
  Internal: 'internal',
} as const;

/** Broker limit assumed while the connection has not told its own (the nats-server default). */
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Room kept below `max_payload` for the protocol line and headers of the reply. */
export const RPC_REPLY_HEADROOM_BYTES = 8 * 1024;

type RpcFailureReason = 'not_json' | 'invalid' | 'answer_too_large' | 'unserializable' | 'unanswered';

/**
 * Serves request/reply subjects in a queue group named after the service (one answer per request).
 * Nothing escapes a subscription callback: a request that is not JSON is answered `invalid`, an answer
 * above the broker's `max_payload` becomes `answer_too_large`, and any other failure while answering is
 * logged with an `errorId` and counted (`shelfwatch_rpc_failures_total`), so one bad request can neither
 * crash the process nor stall the connection for the requests behind it.
 */
export class RpcServer {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly topology: Topology,
    private readonly service: string,
    private readonly logger: Logger,
  ) {}

  serve(subject: string, handler: RpcHandlerFn): void {
    const subscription = this.nc.subscribe(rpcSubject(this.topology, subject), {
      queue: this.service,
      callback: (error, msg) => {
        if (error) {
          this.logger.error({ err: error, subject }, 'rpc subscription failed');
          return;
        }
        void this.handle(subject, handler, msg);
      },
    });
    this.subscriptions.push(subscription);
  }

  /** Maximum bytes of one reply: the broker's `max_payload` less {@link RPC_REPLY_HEADROOM_BYTES}. */
  get maxReplyBytes(): number {
    return (this.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES) - RPC_REPLY_HEADROOM_BYTES;
  }

  /** Answers one request; never rejects. */
  private async handle(subject: string, handler: RpcHandlerFn, msg: Msg): Promise<void> {
    try {
      const parent = extractContext(msg.headers);
      const attributes = rpcSpanAttributes('server', msg.subject, msg.data.length);
      const span = getTracer().startSpan(`serve ${subject}`, { kind: SpanKind.SERVER, attributes }, parent);
      try {
        const reply = await context.with(trace.setSpan(parent, span), () => this.answer(subject, handler, msg));
        const sent = this.encode(subject, reply);
        msg.respond(sent.body);
        recordServed(span, sent);
      } finally {
        span.end();
      }
    } catch (error) {
      this.fail(subject, 'unanswered', { err: error, errorId: randomUUID() }, 'rpc request could not be answered');
    }
  }

  private async answer(subject: string, handler: RpcHandlerFn, msg: Msg): Promise<RpcReply<unknown>> {
    let payload: unknown;
    try {
      payload = msg.json();
    } catch {
      const hasReply = Boolean(msg.reply);
      this.fail(subject, 'not_json', { bytes: msg.data.length, hasReply }, 'rpc request is not JSON');
      return refusal(RpcErrorCode.Invalid, '(root): the request is not JSON');
    }
    try {
      return { ok: true, data: await handler(payload) };
    } catch (error) {
      const refused = rpcRefusalOf(error);
      if (refused !== undefined) {
        if (refused.code === RpcErrorCode.Invalid) {
          this.refusedInvalid(subject, msg, refused.message);
        }
        return refusal(refused.code, refused.message);
      }
      this.logger.error({ err: error, subject, errorId: randomUUID() }, 'rpc handler failed');
      return refusal(RpcErrorCode.Internal, 'internal error');
    }
  }

  /** The reply as sent: `answer_too_large` instead of an answer the broker would refuse. */
  private encode(subject: string, reply: RpcReply<unknown>): EncodedReply {
    let body: string | Uint8Array;
    try {
      body = reply.ok && reply.data instanceof EncodedAnswer ? reply.data.bytes : JSON.stringify(reply);
    } catch (error) {
      this.fail(subject, 'unserializable', { err: error, errorId: randomUUID() }, 'rpc answer is not serializable');
      return encoded(refusal(RpcErrorCode.Internal, 'internal error'));
    }
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    const limit = this.maxReplyBytes;
    if (bytes <= limit) {
      return { reply, body, bytes };
    }
    this.fail(subject, 'answer_too_large', { bytes, limit }, 'rpc answer exceeds the message limit');
    const message =
      `the answer (${bytes} bytes) exceeds the ${limit}-byte message limit; ` +
      'narrow the request (a smaller limit, a shorter range, one keyword)';
    return encoded(refusal(RpcErrorCode.AnswerTooLarge, message));
  }

  /** Counts a request refused as `invalid` (wrong schema); logs it when there is nobody to tell. */
  private refusedInvalid(subject: string, msg: Msg, message: string): void {
    if (msg.reply) {
      messagingMetrics.rpcFailures.inc({ subject, reason: 'invalid' });
    } else {
      this.fail(subject, 'invalid', { message, hasReply: false }, 'rpc request without reply subject is invalid');
    }
  }

  /** Counts and logs a request that was not answered normally (an error when the service is at fault). */
  private fail(subject: string, reason: RpcFailureReason, details: Record<string, unknown>, message: string): void {
    messagingMetrics.rpcFailures.inc({ subject, reason });
    const ours = reason === 'unserializable' || reason === 'unanswered';
    this.logger[ours ? 'error' : 'warn']({ ...details, subject, reason }, message);
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
    this.subscriptions.length = 0;
  }
}

function refusal(code: string, message: string): RpcReply<never> {
  return { ok: false, error: { code, message } };
}

/** A reply as it goes on the wire. */
interface EncodedReply {
  reply: RpcReply<unknown>;
  body: string | Uint8Array;
  bytes: number;
}

function encoded(reply: RpcReply<unknown>): EncodedReply {
  const body = JSON.stringify(reply);
  return { reply, body, bytes: Buffer.byteLength(body) };
}

/** The server span's outcome: a refusal is a correct answer, only `internal` is the service's own fault. */
function recordServed(span: Span, { reply, bytes }: EncodedReply): void {
  if (reply.ok) {
    recordRpcOutcome(span, { outcome: 'ok', replyBytes: bytes }, false);
  } else {
    const { code } = reply.error;
    recordRpcOutcome(span, { outcome: 'error_reply', code, replyBytes: bytes }, code === RpcErrorCode.Internal);
  }
}
