import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import Fastify, { type FastifyInstance } from 'fastify';
import { getTracer, startTracing, type TracingHandle } from '../src';

/**
 * An outgoing fetch whose query string carries credentials (Rakuten's `applicationId` and `accessKey`): the span the
 * undici instrumentation records must hold neither.
 */
describe('outgoing request spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let http: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'outgoing-url-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    http = Fastify();
    http.get('/services/api/IchibaItem/Search/20220601', () => ({ Items: [] }));
    base = await http.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await http.close();
    await tracing.shutdown();
  });

  it('records the URL without its query string', async () => {
    const parent = getTracer().startSpan('rakuten search page');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      const response = await fetch(
        `${base}/services/api/IchibaItem/Search/20220601?applicationId=app-id-secret-1&accessKey=key-secret-2&keyword=x`,
      );
      await response.text();
    });
    parent.end();

    const client = exporter.getFinishedSpans().find((span) => span.name === 'GET');
    expect(client?.attributes['url.full']).toBe(`${base}/services/api/IchibaItem/Search/20220601`);
    expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toMatch(
      /app-id-secret-1|key-secret-2/,
    );
  });
});
