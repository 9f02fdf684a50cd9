import { MikroORM } from '@mikro-orm/postgresql';
import { EventEnvelope, EventType, STREAMS } from '@shelfwatch/contracts';
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
  readStream,
  relayFor,
  writer,
} from '@shelfwatch/testing';
import { histogramCount, metricValue } from '../../resilience/test/metric-value';
import { EventHandlerFn } from '../src/event-handler';

/**
 * The producer is the crawler's schema (outbox), the consumer the ranking's (inbox + an `effects`
 * table without any unique key, so a duplicated effect would show as a second row).
 */
describe('outbox → JetStream → inbox: one effect per event', () => {
  let db: TestDatabase;
  let producer: MikroORM;
  let consumerOrm: MikroORM;
  let nats: TestNats;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    producer = await openServiceOrm(db, 'crawler');
    consumerOrm = await openServiceOrm(db, 'ranking', [
      'create table if not exists ranking.effects (event_id uuid not null, keyword text not null)',
    ]);
  });

  beforeEach(async () => {
    nats = await createTestNats();
    const em = consumerOrm.em.fork();
    await em.execute('truncate ranking.effects, ranking.inbox', [], 'run');
    await producer.em.fork().execute('truncate crawler.outbox', [], 'run');
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
    await nats.cleanup();
  });

  afterAll(async () => {
    await producer.close(true);
    await consumerOrm.close(true);
    await db.drop();
  });

  const recordEffect: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
    await ctx.em.execute(
      'insert into ranking.effects (event_id, keyword) values (?, ?)',
      [event.id, event.data.keyword],
      'run',
    );
  };

  function handlers(fn: EventHandlerFn<'tracking.keyword.added'> = recordEffect): Map<EventType, EventHandlerFn> {
    return new Map([['tracking.keyword.added', fn as EventHandlerFn]]);
  }

  async function effects(): Promise<{ event_id: string; keyword: string }[]> {
    return consumerOrm.em.fork().execute('select event_id, keyword from ranking.effects order by keyword');
  }

  async function writeEvents(count: number): Promise<EventEnvelope[]> {
    return producer.em.fork().transactional((em) =>
      writer('crawler').appendMany(
        em,
        Array.from({ length: count }, (_, i) => ({
          type: 'tracking.keyword.added' as const,
          data: keywordAddedData({ keyword: `kw-${String(i).padStart(3, '0')}` }),
          origin: anOrigin(),
        })),
      ),
    );
  }

  /** Messages (or batches) whose handling `consumer` timed. */
  const handlingsTimed = (consumer: string): Promise<number> =>
    histogramCount('shelfwatch_handler_duration_seconds', { consumer });

  async function startConsumer(fn?: EventHandlerFn<'tracking.keyword.added'>, options = {}) {
    const started = await consumerFor(consumerOrm, nats, handlers(fn), options);
    cleanups.push(async () => {
      await started.consumer.stop().catch(() => undefined);
      await started.nc.close();
    });
    return started;
  }

  it('publishes a committed event once and the consumer applies it once', async () => {
    const [event] = await writeEvents(1);
    const { consumer } = await startConsumer();
    const timedBefore = await handlingsTimed(consumer.durable);
    expect(await relayFor(producer, nats).relayOnce()).toBe(1);
    await eventually(async () => expect(await effects()).toEqual([{ event_id: event?.id, keyword: 'kw-000' }]));
    // Its handling was timed, and its lag (pending messages) is down to none once it is acknowledged.
    await eventually(async () => expect(await handlingsTimed(consumer.durable)).toBe(timedBefore + 1));
    await eventually(async () => expect(await consumer.lag()).toBe(0));
    expect(await metricValue('shelfwatch_consumer_pending_messages', { consumer: consumer.durable })).toBe(0);
    const stored = await readStream(nats, nats.topology.streamName(STREAMS.TRACKING));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.header.get('Nats-Msg-Id')).toBe(event?.id);
  });

  it('applies an event once when it is published twice under different message ids', async () => {
    const [event] = await writeEvents(1);
    await relayFor(producer, nats).relayOnce();
    // A second copy that JetStream cannot de-duplicate (another Nats-Msg-Id): only the inbox stands guard.
    await nats.js.publish(nats.topology.subject('tracking.keyword.added'), JSON.stringify(event), { msgID: 'copy-1' });
    await startConsumer();
    await eventually(async () => {
      const [row] = await consumerOrm.em
        .fork()
        .execute<{ count: string }[]>(`select count(*) from ranking.inbox where event_id = ?`, [event?.id]);
      expect(row?.count).toBe('1');
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.TRACKING), 'ranking-tracking');
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
    expect(await effects()).toHaveLength(1);
  });

  it('applies an event once when the consumer dies after commit and before ack', async () => {
    await writeEvents(1);
    let deaths = 0;
    const first = await startConsumer(undefined, {
      afterCommit: async () => {
        if (deaths === 0) {
          deaths += 1;
          // The process "dies": its connection goes away before the ack is sent.
          await first.nc.close();
          throw new Error('killed after commit');
        }
      },
    });
    await relayFor(producer, nats).relayOnce();
    await eventually(() => expect(deaths).toBe(1));
    expect(await effects()).toHaveLength(1);
    // A new instance receives the redelivery after ack_wait and must not apply it again.
    const second = await startConsumer();
    await eventually(async () => {
      const info = await second.consumer.lag();
      expect(info).toBe(0);
    }, 15_000);
    expect(await effects()).toHaveLength(1);
    const [inbox] = await consumerOrm.em.fork().execute<{ count: string }[]>('select count(*) from ranking.inbox');
    expect(inbox?.count).toBe('1');
  });

  it('applies an event once when the relay dies after publishing and before marking the row sent', async () => {
    const [event] = await writeEvents(1);
    let crashes = 0;
    const relay = relayFor(producer, nats, {
      afterPublish: async () => {
        if (crashes === 0) {
          crashes += 1;
          throw new Error('relay killed before marking sent');
        }
      },
    });
    await expect(relay.relayOnce()).rejects.toThrow('relay killed');
    const [pending] = await producer.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from crawler.outbox where published_at is null');
    expect(pending?.count).toBe('1');
    expect(await relay.relayOnce()).toBe(1);
    // JetStream dropped the re-publish as a duplicate of the same event id.
    const stored = await readStream(nats, nats.topology.streamName(STREAMS.TRACKING));
    expect(stored.map((msg) => msg.header.get('Nats-Msg-Id'))).toEqual([event?.id]);
    await startConsumer();
    await eventually(async () => expect(await effects()).toHaveLength(1));
  });

  it('in batch mode applies each event once, copies in the same batch included, and isolates a failing one', async () => {
    const events = await writeEvents(200);
    await relayFor(producer, nats, { batchSize: 1_000 }).relayOnce();
    for (const event of events.slice(0, 20)) {
      await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: `copy-${event.id}` });
    }
    let failedOnce = false;
    await startConsumer(
      async (event, ctx) => {
        if (event.data.keyword === 'kw-150' && !failedOnce) {
          failedOnce = true;
          throw new Error('transient failure inside a batch');
        }
        await recordEffect(event, ctx);
      },
      { batchSize: 50 },
    );
    await eventually(async () => expect(await effects()).toHaveLength(200), 15_000);
    const keywords = (await effects()).map((row) => row.keyword);
    expect(new Set(keywords).size).toBe(200);
    expect(failedOnce).toBe(true);
  });

  it('in batch mode runs the work handlers left for the commit once per batch, with every event of it', async () => {
    const events = await writeEvents(120);
    await relayFor(producer, nats, { batchSize: 1_000 }).relayOnce();
    const collected = new WeakMap<object, EventEnvelope<'tracking.keyword.added'>[]>();
    const flushes: number[] = [];
    let failNextFlush = true;
    await startConsumer(
      (event, ctx) => {
        const batch = collected.get(ctx.em) ?? [];
        collected.set(ctx.em, [...batch, event]);
        ctx.beforeCommit('effects', async (em) => {
          const all = collected.get(ctx.em) ?? [];
          if (failNextFlush && all.length > 1) {
            failNextFlush = false;
            throw new Error('the batch write failed once');
          }
          flushes.push(all.length);
          await em.execute(
            `insert into ranking.effects (event_id, keyword) values ${all.map(() => '(?, ?)').join(', ')}`,
            all.flatMap((e) => [e.id, e.data.keyword]),
            'run',
          );
        });
        return Promise.resolve();
      },
      { batchSize: 50 },
    );
    await eventually(async () => expect(await effects()).toHaveLength(events.length), 15_000);
    expect(new Set((await effects()).map((row) => row.event_id))).toEqual(new Set(events.map((e) => e.id)));
    expect(failNextFlush).toBe(false);
    // The failed batch was applied again message by message (flushes of one); the others in one flush each.
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(flushes.some((size) => size > 1)).toBe(true);
  });

  it('never publishes an event whose transaction rolled back', async () => {
    await expect(
      producer.em.fork().transactional(async (em) => {
        await writer('crawler').append(em, {
          type: 'tracking.keyword.added',
          data: keywordAddedData(),
          origin: anOrigin(),
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await relayFor(producer, nats).relayOnce()).toBe(0);
  });

  it('refuses an outbox write outside a transaction', async () => {
    await expect(
      writer('crawler').append(producer.em.fork(), {
        type: 'tracking.keyword.added',
        data: keywordAddedData(),
        origin: anOrigin(),
      }),
    ).rejects.toThrow('inside the transaction');
  });
});
