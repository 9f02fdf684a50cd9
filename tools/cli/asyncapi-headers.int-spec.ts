import { MikroORM } from '@mikro-orm/postgresql';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { STREAMS, buildAsyncApi } from '@shelfwatch/contracts';
import { TracingHandle, contextFromTraceparent, getTracer, startTracing } from '@shelfwatch/observability';
import {
  TestDatabase,
  TestNats,
  anOrigin,
  createTestDatabase,
  createTestNats,
  keywordAddedData,
  openServiceOrm,
  readStream,
  relayFor,
  writer,
} from '@shelfwatch/testing';

interface HeaderSchema {
  properties: Record<string, { pattern?: string }>;
}

/** The headers the AsyncAPI document promises are those an event published through the outbox carries. */
describe('AsyncAPI event headers', () => {
  let tracing: TracingHandle;
  let db: TestDatabase;
  let nats: TestNats;
  let producer: MikroORM;

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'asyncapi-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
    });
    db = await createTestDatabase();
    nats = await createTestNats();
    producer = await openServiceOrm(db, 'crawler');
  });

  afterAll(async () => {
    await producer.close(true);
    await nats.cleanup();
    await db.drop();
    await tracing.shutdown();
  });

  it('names every header of a published event, optional ones included, each non-empty and matching its pattern', async () => {
    // A caller's trace that carries a tracestate, so every optional header is sent too.
    const caller = contextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'vendor=t61');
    const event = await getTracer().startActiveSpan('write', {}, caller, async (span) => {
      const written = await producer.em.fork().transactional((em) =>
        writer('crawler').append(em, {
          type: 'tracking.keyword.added',
          data: keywordAddedData(),
          origin: anOrigin(),
        }),
      );
      span.end();
      return written;
    });
    await relayFor(producer, nats).relayOnce();
    const [stored] = await readStream(nats, nats.topology.streamName(STREAMS.TRACKING));
    const document = buildAsyncApi('test') as { components: { schemas: { EventHeaders: HeaderSchema } } };
    const schema = document.components.schemas.EventHeaders;

    const sent = stored?.header.keys() ?? [];
    expect([...sent].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(stored?.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored?.header.get('tracestate')).toBe('vendor=t61');
    for (const [name, { pattern }] of Object.entries(schema.properties)) {
      expect(stored?.header.get(name)).toMatch(new RegExp(pattern ?? '.'));
    }
  });
});
