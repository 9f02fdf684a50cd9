import { NatsConnection, Subscription, headers as natsHeaders } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { controlCharacterIssues } from '@shelfwatch/contracts';
import { extractContext, getTracer, injectContext } from '@shelfwatch/observability';
import { Logger } from 'pino';
import { z } from 'zod';
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

/** No instance answered in time, or none is subscribed: the caller should answer 503/504. */
export class RpcUnavailableError extends Error {
  constructor(
    readonly subject: string,
    readonly reason: unknown,
  ) {
    super(`no answer from ${subject}: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = 'RpcUnavailableError';
  }
}

/** A query or command handler served over NATS request/reply. */
export type RpcHandlerFn = (payload: unknown) => Promise<unknown>;

/** Error a handler throws to answer with a domain error code instead of `internal`. */
export class RpcHandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcHandlerError';
  }
}

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
 * Runs one request/reply call: validates the payload (`invalid` naming every failing field), runs the use
 * case, and answers the refusals `refusalOf` recognises with their code; anything else stays `internal`.
 * Each service maps its own typed domain errors here, in one place.
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

/** Sends requests to other services with a timeout, carrying trace context in headers. */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly topology: Topology,
  ) {}

  async request<T>(subject: string, payload: unknown, timeoutMs = 5_000): Promise<T> {
    const target = rpcSubject(this.topology, subject);
    return getTracer().startActiveSpan(`request ${subject}`, { kind: SpanKind.CLIENT }, async (span) => {
      try {
        const headers = natsHeaders();
        injectContext(headers);
        const reply = await this.nc
          .request(target, JSON.stringify(payload), { timeout: timeoutMs, headers })
          .catch((error: unknown) => {
            throw new RpcUnavailableError(subject, error);
          });
        const body: unknown = reply.json();
        if (!isReply(body)) {
          throw new RpcUnavailableError(subject, new Error('malformed reply'));
        }
        if (!body.ok) {
          throw new RpcRemoteError(body.error.code, body.error.message);
        }
        return body.data as T;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

/** Serves request/reply subjects in a queue group named after the service (one answer per request). */
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
        const parent = extractContext(msg.headers);
        const span = getTracer().startSpan(`serve ${subject}`, { kind: SpanKind.SERVER }, parent);
        void context
          .with(trace.setSpan(parent, span), () => this.answer(handler, msg.json()))
          .then((reply) => msg.respond(JSON.stringify(reply)))
          .finally(() => span.end());
      },
    });
    this.subscriptions.push(subscription);
  }

  private async answer(handler: RpcHandlerFn, payload: unknown): Promise<RpcReply<unknown>> {
    try {
      return { ok: true, data: await handler(payload) };
    } catch (error) {
      if (error instanceof RpcHandlerError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      this.logger.error({ err: error }, 'rpc handler failed');
      return { ok: false, error: { code: 'internal', message: 'internal error' } };
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain()));
    this.subscriptions.length = 0;
  }
}
