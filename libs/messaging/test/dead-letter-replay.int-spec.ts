import { MikroORM } from '@mikro-orm/postgresql';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { EventType, STREAMS } from '@shelfwatch/contracts';
import {
  TEST_ACK_WAIT_MS,
  TestDatabase,
  TestNats,
  aKeywordAddedEvent,
  consumerFor,
  createTestDatabase,
  createTestNats,
  eventually,
  openServiceOrm,
  pause,
  readStream,
} from '@shelfwatch/testing';
import { DEAD_LETTER_HEADERS } from '../src/dead-letter';
import { DeadLetterError, DeadLetterErrorCode, DeadLetterStore } from '../src/dead-letter-store';
import { EventHandlerFn } from '../src/event-handler';
import { PermanentHandlerError } from '../src/handler-errors';

describe('dead letters: list, show, replay', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;
  let store: DeadLetterStore;
  let stop: () => Promise<void>;
  let broken: boolean;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'ranking', [
      'create table if not exists ranking.effects (event_id uuid not null, keyword text not null)',
    ]);
  });

  beforeEach(async () => {
    nats = await createTestNats();
    store = new DeadLetterStore(nats.jsm, nats.js, nats.topology);
    await orm.em.fork().execute('truncate ranking.effects, ranking.inbox', [], 'run');
    broken = true;
    // Until the "fix is deployed", the handler refuses every event.
    const handler: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
      if (broken) {
        throw new PermanentHandlerError('unknown_product', 'product not tracked yet');
      }
      await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
    };
    const handlers = new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]);
    const { consumer, nc } = await consumerFor(orm, nats, handlers);
    stop = async () => {
      await consumer.stop();
      await nc.close();
    };
  });

  afterEach(async () => {
    await stop();
    await nats.cleanup();
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  const effects = () => orm.em.fork().execute<{ keyword: string }[]>('select keyword from ranking.effects');
  const parked = () => readStream(nats, nats.topology.streamName(STREAMS.DEADLETTER));

  async function parkOne(keyword: string) {
    const event = aKeywordAddedEvent({ keyword });
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => expect(await parked()).toHaveLength(1));
    return event;
  }

  it('lists and shows a parked message, replays it to its consumer once, and takes it off the list', async () => {
    const event = await parkOne('parked');
    const [listed] = await store.list({ limit: 10 });
    expect(listed).toMatchObject({
      consumer: 'ranking-tracking',
      reason: 'permanent_failure',
      eventId: event.id,
      eventType: 'tracking.keyword.added',
      originalSubject: nats.topology.subject('tracking.keyword.added'),
    });
    expect(await store.list({ limit: 10, consumer: 'alerting-tracking' })).toEqual([]);
    const sequence = listed?.sequence ?? 0;
    const shown = await store.show(sequence);
    expect(shown.payload).toEqual(event);
    expect(shown.error).toContain('product not tracked yet');

    broken = false;
    const replay = await store.replay(sequence);
    expect(replay).toMatchObject({ consumer: 'ranking-tracking', eventId: event.id });
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'parked' }]));
    expect(await store.list({ limit: 10 })).toEqual([]);
    // Replaying again is refused with a typed error, and nothing is applied twice.
    await expect(store.replay(sequence)).rejects.toMatchObject({ code: DeadLetterErrorCode.NotFound });
    await pause(TEST_ACK_WAIT_MS * 2);
    expect(await effects()).toEqual([{ keyword: 'parked' }]);
    expect(await parked()).toHaveLength(0);
  });

  it('applies a replayed event once even if the replay is published twice (same event id)', async () => {
    const event = await parkOne('twice');
    const [listed] = await store.list({ limit: 1 });
    broken = false;
    await store.replay(listed?.sequence ?? 0);
    // An operator (or a crash between publish and removal) sends the same event again under another id.
    const again = natsHeaders();
    again.set(DEAD_LETTER_HEADERS.replayFor, 'ranking-tracking');
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), {
      msgID: 'operator-retry',
      headers: again,
    });
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'twice' }]));
    await pause(TEST_ACK_WAIT_MS * 2);
    expect(await effects()).toEqual([{ keyword: 'twice' }]);
  });

  it('does not apply a replay addressed to another consumer', async () => {
    broken = false;
    const event = aKeywordAddedEvent({ keyword: 'for-someone-else' });
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.replayFor, 'crawler-tracking');
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id, headers });
    const control = aKeywordAddedEvent({ keyword: 'control' });
    await nats.js.publish(nats.topology.subject(control.type), JSON.stringify(control), { msgID: control.id });
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'control' }]));
    await pause(TEST_ACK_WAIT_MS);
    expect(await effects()).toEqual([{ keyword: 'control' }]);
  });

  it('refuses unknown sequences with a typed error', async () => {
    await expect(store.show(999)).rejects.toBeInstanceOf(DeadLetterError);
    await expect(store.replay(999)).rejects.toMatchObject({ code: DeadLetterErrorCode.NotFound });
  });
});
