import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerHttpTracing, serverSpanIds } from './http-tracing';
import { currentTraceIds } from './propagation';
import { getTracer, startTracing } from './tracing';

const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'http-tracing-spec', spanProcessors: [new SimpleSpanProcessor({ exporter })] });

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;

async function tracedApp(): Promise<FastifyInstance> {
  const app = Fastify();
  registerHttpTracing(app);
  app.get('/v1/products/:id', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return getTracer().startActiveSpan('load product', (span) => {
      span.end();
      return { ids: currentTraceIds() };
    });
  });
  app.post('/v1/crawls', async (request) => ({ body: request.body, ids: currentTraceIds() }));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return app;
}

function serverSpans(): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
}

let app: FastifyInstance;
beforeEach(async () => {
  exporter.reset();
  app = await tracedApp();
});
afterEach(() => app.close());

describe('registerHttpTracing', () => {
  it('starts a trace of its own with a SERVER span named after the route, linked to the caller', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/products/42?token=x',
      headers: { traceparent: TRACEPARENT, tracestate: 'caller=1' },
    });

    expect(response.statusCode).toBe(200);
    const [server] = serverSpans();
    expect(server?.name).toBe('GET /v1/products/:id');
    expect(server?.spanContext().traceId).not.toBe(CALLER_TRACE_ID);
    expect(server?.spanContext().traceState).toBeUndefined();
    expect(server?.parentSpanContext).toBeUndefined();
    expect(server?.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
      [CALLER_TRACE_ID, CALLER_SPAN_ID],
    ]);
    expect(server?.links[0]?.context.traceState?.get('caller')).toBe('1');
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/v1/products/42',
      'http.route': '/v1/products/:id',
      'http.response.status_code': 200,
    });
  });

  it('makes the SERVER span the parent of spans started in the handler, after an await', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/products/42', headers: { traceparent: TRACEPARENT } });

    const server = serverSpans()[0];
    const child = exporter.getFinishedSpans().find((span) => span.name === 'load product');
    expect(child?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(child?.spanContext().traceId).toBe(server?.spanContext().traceId);
    expect(response.json()).toMatchObject({ ids: { traceId: server?.spanContext().traceId } });
  });

  it('keeps the span active in a handler that runs after the body was parsed', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/crawls', payload: { keywordId: 'k1' } });

    const server = serverSpans()[0];
    expect(response.json()).toEqual({
      body: { keywordId: 'k1' },
      ids: { traceId: server?.spanContext().traceId, spanId: server?.spanContext().spanId },
    });
  });

  it('starts a new trace without a traceparent, links nothing for a malformed one, marks 5xx as errors', async () => {
    const response = await app.inject({ method: 'GET', url: '/boom', headers: { traceparent: 'not-a-traceparent' } });

    expect(response.statusCode).toBe(500);
    const [server] = serverSpans();
    expect(server?.parentSpanContext).toBeUndefined();
    expect(server?.links).toEqual([]);
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    expect(server?.attributes['http.response.status_code']).toBe(500);
    expect(server?.events.map((event) => event.name)).toContain('exception');
  });

  it('names an unmatched request after its path and keeps its ids for the request log', async () => {
    let idsForLog: unknown = null;
    await app.close();
    app = Fastify();
    registerHttpTracing(app);
    app.addHook('onResponse', async (request) => {
      idsForLog = serverSpanIds(request.raw);
    });
    await app.ready();

    const response = await app.inject({ method: 'GET', url: '/nowhere?q=1' });

    expect(response.statusCode).toBe(404);
    const [server] = serverSpans();
    expect(server?.name).toBe('GET /nowhere');
    expect(server?.attributes['http.route']).toBeUndefined();
    expect(idsForLog).toEqual({ traceId: server?.spanContext().traceId, spanId: server?.spanContext().spanId });
  });
});
