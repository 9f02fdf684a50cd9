import { MikroORM } from '@mikro-orm/postgresql';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { STREAMS, buildAsyncApi } from '@shelfwatch/contracts';
import { TracingHandle, getTracer, startTracing } from '@shelfwatch/observability';
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
  required: string[];
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
      otlpEndpoint: null,
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

  it('names every header of a published event, with the required ones present and matching their patterns', async () => {
    const event = await getTracer().startActiveSpan('write', async (span) => {
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
    for (const name of schema.required) {
      expect(stored?.header.get(name)).not.toBe('');
    }
    for (const [name, { pattern }] of Object.entries(schema.properties)) {
      expect(stored?.header.get(name)).toMatch(new RegExp(pattern ?? '.'));
    }
  });
});
