import type { IncomingMessage } from 'node:http';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { TraceIds } from './propagation';
import { getTracer } from './tracing';

// Keyed by the Node request so that code that only sees `req.raw` (pino-http) finds the span too.
const serverSpans = new WeakMap<IncomingMessage, Span>();

/**
 * Traces every request that `fastify` serves: one SERVER span per request, the root of a new trace, active for
 * the rest of the request's lifecycle (hooks, body parsing, handler and what it awaits), ended when the response
 * is sent or the client aborts.
 *
 * Every HTTP server of ShelfWatch is an edge (the services talk to each other over NATS), so a caller's trace
 * context is not trusted to own ours: its `traceparent` (with `tracestate`) becomes a link of the SERVER span,
 * never its parent, so that a client cannot choose our trace ids, sampling or vendor state, nor merge its requests
 * into one of our traces. Its `baggage` is never taken in: it would travel on, in the headers of every message the
 * request leads to, as if ShelfWatch had set it.
 *
 * With Nest, call it on the adapter's instance before `NestFactory.create()` so that the span is active
 * while Nest middleware (pino-http) runs as well:
 * `const adapter = new FastifyAdapter(); registerHttpTracing(adapter.getInstance());`.
 * Called later (`app.getHttpAdapter().getInstance()`) it still traces handlers, guards and interceptors.
 */
export function registerHttpTracing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', startServerSpan);
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    endServerSpan(request, reply.statusCode);
    done();
  });
  fastify.addHook('onError', (request: FastifyRequest, _reply, error: Error, done: HookHandlerDoneFunction) => {
    serverSpans.get(request.raw)?.recordException(error);
    done();
  });
  fastify.addHook('onRequestAbort', (request: FastifyRequest, done: HookHandlerDoneFunction) => {
    endServerSpan(request, undefined);
    done();
  });
}

/** Trace and span id of the SERVER span of a request that is being served, or null. */
export function serverSpanIds(request: IncomingMessage): TraceIds | null {
  const span = serverSpans.get(request);
  if (!span) {
    return null;
  }
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function startServerSpan(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const caller = callerSpanContext(request);
  const path = pathOf(request.url);
  const route = request.routeOptions.url;
  const span = getTracer().startSpan(
    `${request.method} ${route ?? path}`,
    {
      kind: SpanKind.SERVER,
      root: true,
      links: caller ? [{ context: caller }] : [],
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_URL_PATH]: path,
        ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
      },
    },
    ROOT_CONTEXT,
  );
  serverSpans.set(request.raw, span);
  const active = trace.setSpan(ROOT_CONTEXT, span);
  // Body chunks and the response's events are emitted from the socket's async context: binding the emitters
  // makes their listeners (Fastify's body parser among them) run in the span's context too.
  context.bind(active, request.raw);
  context.bind(active, reply.raw);
  context.with(active, done);
}

/** The span a client says it calls from (`traceparent`, `tracestate`), if valid: a link, never a parent. */
function callerSpanContext(request: FastifyRequest): SpanContext | undefined {
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, request.headers));
}

function endServerSpan(request: FastifyRequest, statusCode: number | undefined): void {
  // Kept in the map once ended: the request log written after the response still wants the ids.
  const span = serverSpans.get(request.raw);
  if (!span?.isRecording()) {
    return;
  }
  if (statusCode === undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted the request' });
  } else {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (statusCode >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

/** The path of a request target, without its query string (which may carry secrets). */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
