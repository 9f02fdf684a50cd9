import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { TracingHandle, startTracing } from '@shelfwatch/observability';
import { TestNats, createTestNats, eventually, logger } from '@shelfwatch/testing';
import { RpcClient, RpcHandlerError, RpcRemoteError, RpcServer, RpcUnavailableError, rpcSubject } from '../src/rpc';

/**
 * The CLIENT and SERVER spans of a request/reply exchange over the real NATS carry the messaging semantic
 * conventions (system, destination, sizes) and how the exchange ended, so a trace tells which call failed and why.
 */
describe('request/reply spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let nats: TestNats;
  let server: RpcServer;
  let client: RpcClient;

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'rpc-spans-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    nats = await createTestNats();
    server = new RpcServer(nats.nc, nats.topology, 'ranking', logger);
    client = new RpcClient(nats.nc, nats.topology);
    server.serve('ranking.query.rank', async () => ({ rank: 3 }));
    server.serve('ranking.query.missing', async () => {
      throw new RpcHandlerError('not_found', 'keyword not found');
    });
    server.serve('ranking.query.broken', async () => {
      throw new Error('database exploded');
    });
    await nats.nc.flush();
  });

  afterAll(async () => {
    await server.stop();
    await nats.cleanup();
    await tracing.shutdown();
  });

  /** The client's and (unless nobody answers) the server's span of the last request to `subject`, once ended. */
  async function spansOf(
    subject: string,
    answered = true,
  ): Promise<{ client: ReadableSpan; server: ReadableSpan | undefined }> {
    return eventually(() => {
      const spans = exporter.getFinishedSpans();
      const clientSpan = spans.filter((span) => span.name === `request ${subject}`).at(-1);
      expect(clientSpan).toBeDefined();
      const serverSpan = spans.find(
        (span) =>
          span.name === `serve ${subject}` && span.parentSpanContext?.spanId === clientSpan?.spanContext().spanId,
      );
      if (answered) {
        expect(serverSpan).toBeDefined();
      }
      return { client: clientSpan as ReadableSpan, server: serverSpan };
    }, 5_000);
  }

  it('records system, destination, sizes and the ok outcome on both sides', async () => {
    const payload = { keywordId: 'k1' };
    await client.request('ranking.query.rank', payload);

    const { client: sent, server: served } = await spansOf('ranking.query.rank');
    const wire = rpcSubject(nats.topology, 'ranking.query.rank');
    const requestBytes = Buffer.byteLength(JSON.stringify(payload));
    const replyBytes = Buffer.byteLength(JSON.stringify({ ok: true, data: { rank: 3 } }));
    expect(sent.kind).toBe(SpanKind.CLIENT);
    expect(sent.attributes).toEqual({
      'messaging.system': 'nats',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'request',
      'messaging.destination.name': wire,
      'messaging.message.body.size': requestBytes,
      'shelfwatch.rpc.outcome': 'ok',
      'shelfwatch.rpc.reply.body.size': replyBytes,
    });
    expect(sent.status.code).toBe(SpanStatusCode.UNSET);
    expect(served?.kind).toBe(SpanKind.SERVER);
    expect(served?.attributes).toEqual({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'reply',
      'messaging.destination.name': wire,
      'messaging.message.body.size': requestBytes,
      'shelfwatch.rpc.outcome': 'ok',
      'shelfwatch.rpc.reply.body.size': replyBytes,
    });
  });

  it('records a refusal’s code; an error for the caller, a correct answer for the service', async () => {
    await expect(client.request('ranking.query.missing', {})).rejects.toBeInstanceOf(RpcRemoteError);

    const { client: sent, server: served } = await spansOf('ranking.query.missing');
    for (const span of [sent, served]) {
      expect(span?.attributes).toMatchObject({
        'shelfwatch.rpc.outcome': 'error_reply',
        'shelfwatch.rpc.error_code': 'not_found',
        'error.type': 'not_found',
      });
    }
    expect(sent.status).toEqual({ code: SpanStatusCode.ERROR, message: 'not_found: keyword not found' });
    expect(served?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('marks the service’s own failure as an error on both sides', async () => {
    await expect(client.request('ranking.query.broken', {})).rejects.toBeInstanceOf(RpcRemoteError);

    const { client: sent, server: served } = await spansOf('ranking.query.broken');
    expect(sent.attributes['shelfwatch.rpc.error_code']).toBe('internal');
    expect(served?.attributes['shelfwatch.rpc.error_code']).toBe('internal');
    expect(sent.status.code).toBe(SpanStatusCode.ERROR);
    expect(served?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records a request nobody answers as unavailable', async () => {
    await expect(client.request('ranking.query.nobody', {})).rejects.toBeInstanceOf(RpcUnavailableError);

    const { client: sent, server: served } = await spansOf('ranking.query.nobody', false);
    expect(served).toBeUndefined();
    expect(sent.attributes).toMatchObject({ 'shelfwatch.rpc.outcome': 'unavailable', 'error.type': 'unavailable' });
    expect(sent.attributes['shelfwatch.rpc.reply.body.size']).toBeUndefined();
    expect(sent.status.code).toBe(SpanStatusCode.ERROR);
  });
});
