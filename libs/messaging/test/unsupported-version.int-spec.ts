import { MikroORM } from '@mikro-orm/postgresql';
import { EventType, STREAMS } from '@shelfwatch/contracts';
import {
  TestDatabase,
  TestNats,
  aKeywordAddedEvent,
  consumerFor,
  createTestDatabase,
  createTestNats,
  eventually,
  openServiceOrm,
  readStream,
} from '@shelfwatch/testing';
import { DEAD_LETTER_HEADERS } from '../src/dead-letter';
import { EventHandlerFn } from '../src/event-handler';

/**
 * An event written by a newer release (a version the registry does not know yet) is parked with its reason
 * on the first delivery, never handled in a guessed shape and never crashed on; the consumer keeps going.
 */
describe('an unknown newer event version', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'ranking', [
      'create table if not exists ranking.effects (event_id uuid not null, keyword text not null)',
    ]);
    nats = await createTestNats();
  });

  afterAll(async () => {
    await stop();
    await nats.cleanup();
    await orm.close(true);
    await db.drop();
  });

  it('is dead-lettered with the version in its reason, and the next event is applied', async () => {
    const applied: number[] = [];
    const handler: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
      applied.push(event.version);
      await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
    };
    const handlers = new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]);
    const { consumer, nc } = await consumerFor(orm, nats, handlers);
    stop = async () => {
      await consumer.stop();
      await nc.close();
    };

    const subject = nats.topology.subject('tracking.keyword.added');
    const newer = { ...aKeywordAddedEvent({ keyword: 'from-v2' }), version: 2 };
    const current = aKeywordAddedEvent({ keyword: 'from-v1' });
    await nats.js.publish(subject, JSON.stringify(newer), { msgID: newer.id });
    await nats.js.publish(subject, JSON.stringify(current), { msgID: current.id });

    const deadLetters = () => readStream(nats, nats.topology.streamName(STREAMS.DEADLETTER));
    const effects = () => orm.em.fork().execute<{ keyword: string }[]>('select keyword from ranking.effects');
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'from-v1' }]));
    await eventually(async () => expect(await deadLetters()).toHaveLength(1));
    const [parked] = await deadLetters();
    expect(parked?.subject).toBe(nats.topology.subject('deadletter.ranking-tracking.tracking.keyword.added'));
    expect(parked?.header.get(DEAD_LETTER_HEADERS.reason)).toBe('invalid_payload');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.error)).toBe('version: 2 newer than the supported version 1');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    expect(parked?.json()).toEqual(newer);
    expect(applied).toEqual([1]);
    const stream = nats.topology.streamName(STREAMS.TRACKING);
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(stream, 'ranking-tracking');
      expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
    });
  });
});
