import { MikroORM } from '@mikro-orm/postgresql';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { EventType } from '@shelfwatch/contracts';
import {
  TracingHandle,
  contextFromTraceparent,
  getTracer,
  registerHttpTracing,
  startTracing,
} from '@shelfwatch/observability';
import {
  TestDatabase,
  TestNats,
  anOrigin,
  consumerFor,
  createTestDatabase,
  createTestNats,
  eventually,
  keywordAddedData,
  openServiceOrm,
  relayFor,
  writer,
} from '@shelfwatch/testing';
import Fastify, { FastifyInstance } from 'fastify';
import { EventHandlerFn } from '../src/event-handler';

/**
 * One trace from an HTTP request in one service (the crawler's schema and outbox), through the relay and
 * JetStream, to the handler of another service (the ranking consumer): every span shares the trace id and
 * each hop is the child of the previous one.
 */
describe('trace context across HTTP, the outbox, JetStream and a consumer', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let db: TestDatabase;
  let nats: TestNats;
  let producer: MikroORM;
  let consumerOrm: MikroORM;
  let http: FastifyInstance;

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'trace-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    db = await createTestDatabase();
    nats = await createTestNats();
    producer = await openServiceOrm(db, 'crawler');
    consumerOrm = await openServiceOrm(db, 'ranking');
    http = Fastify();
    registerHttpTracing(http);
    http.post('/keywords', async () => {
      const event = await producer.em.fork().transactional((em) =>
        writer('crawler').append(em, {
          type: 'tracking.keyword.added',
          data: keywordAddedData(),
          origin: anOrigin(),
        }),
      );
      return { id: event.id };
    });
    await http.ready();
  });

  afterAll(async () => {
    await http.close();
    await producer.close(true);
    await consumerOrm.close(true);
    await nats.cleanup();
    await db.drop();
    await tracing.shutdown();
  });

  it('links the HTTP request, the publish and the handling as parent and children of one trace', async () => {
    let handlerTrace: string | undefined;
    const handler: EventHandlerFn = async () => {
      handlerTrace = trace.getActiveSpan()?.spanContext().traceId;
    };
    const { consumer, nc } = await consumerFor(
      consumerOrm,
      nats,
      new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler]]),
    );
    const response = await http.inject({ method: 'POST', url: '/keywords' });
    expect(response.statusCode).toBe(200);
    await relayFor(producer, nats).relayOnce();
    await eventually(() => expect(handlerTrace).toBeDefined());
    await consumer.stop();
    await nc.close();

    const spans = exporter.getFinishedSpans();
    const find = (kind: SpanKind): ReadableSpan => {
      const span = spans.find((candidate) => candidate.kind === kind);
      if (!span) {
        throw new Error(`no ${SpanKind[kind]} span among ${spans.map((s) => s.name).join(', ')}`);
      }
      return span;
    };
    const server = find(SpanKind.SERVER);
    const publish = find(SpanKind.PRODUCER);
    const processing = find(SpanKind.CONSUMER);
    expect(server.name).toBe('POST /keywords');
    expect(publish.name).toBe('publish tracking.keyword.added');
    expect(processing.name).toBe('process tracking.keyword.added');
    const traceId = server.spanContext().traceId;
    expect(publish.spanContext().traceId).toBe(traceId);
    expect(processing.spanContext().traceId).toBe(traceId);
    expect(handlerTrace).toBe(traceId);
    expect(publish.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(processing.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(processing.links.map((link) => link.context.spanId)).toEqual([publish.spanContext().spanId]);
  });

  it('carries the tracestate with the traceparent through the outbox row, the relay and the message headers', async () => {
    let handlerState: string | null = null;
    let handled = false;
    const handler: EventHandlerFn = async () => {
      handlerState = trace.getActiveSpan()?.spanContext().traceState?.serialize() ?? null;
      handled = true;
    };
    const { consumer, nc } = await consumerFor(
      consumerOrm,
      nats,
      new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler]]),
    );
    const parent = contextFromTraceparent(`00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`, 'vendor=opaque');
    const span = getTracer().startSpan('add keyword', {}, parent);
    await context.with(trace.setSpan(parent, span), () =>
      producer.em.fork().transactional((em) =>
        writer('crawler').append(em, {
          type: 'tracking.keyword.added',
          data: keywordAddedData(),
          origin: anOrigin(),
        }),
      ),
    );
    span.end();
    await relayFor(producer, nats).relayOnce();
    await eventually(() => expect(handled).toBe(true));
    await consumer.stop();
    await nc.close();

    expect(handlerState).toBe('vendor=opaque');
  });
});
