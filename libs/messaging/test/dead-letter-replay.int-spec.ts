import { MikroORM } from '@mikro-orm/postgresql';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { STREAMS } from '@shelfwatch/contracts';
import {
  TestDatabase,
  TestNats,
  aKeywordAddedEvent,
  keywordEffectsConsumer,
  KEYWORD_EFFECTS_SQL,
  createTestDatabase,
  createTestNats,
  eventually,
  openServiceOrm,
  readStream,
} from '@shelfwatch/testing';
import { DEAD_LETTER_HEADERS } from '../src/dead-letter';
import { DeadLetterReplayer } from '../src/dead-letter-replay';
import { DeadLetterErrorCode, DeadLetterStore } from '../src/dead-letter-store';

describe('dead letters: list, show, and replay in the consumer that parked them', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;
  let store: DeadLetterStore;
  let replayer: DeadLetterReplayer;
  let stop: () => Promise<void>;
  let broken: boolean;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'ranking', [KEYWORD_EFFECTS_SQL]);
  });

  beforeEach(async () => {
    nats = await createTestNats();
    store = new DeadLetterStore(nats.jsm, nats.topology);
    await orm.em.fork().execute('truncate ranking.effects, ranking.inbox', [], 'run');
    broken = true;
    const { consumer, nc } = await keywordEffectsConsumer(orm, nats, () => broken);
    replayer = new DeadLetterReplayer(store, nats.topology, new Map([[consumer.durable, consumer.processor]]));
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

  /** Publishes an event the broken handler refuses, and waits until its consumer parked it. */
  async function parkOne(keyword: string) {
    const before = (await parked()).length;
    const event = aKeywordAddedEvent({ keyword });
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => expect(await parked()).toHaveLength(before + 1));
    const [newest] = (await store.list({ limit: 1 })).items;
    return { event, sequence: newest?.sequence ?? 0 };
  }

  /** Parks a copy of `event` the way a consumer does, on the dead-letter subject of `parkedBy`. */
  async function parkCopy(event: ReturnType<typeof aKeywordAddedEvent>, parkedBy: string, claimed = parkedBy) {
    const subject = nats.topology.subject(event.type);
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.reason, 'permanent_failure');
    headers.set(DEAD_LETTER_HEADERS.error, 'unknown_product: product not tracked yet');
    headers.set(DEAD_LETTER_HEADERS.consumer, claimed);
    headers.set(DEAD_LETTER_HEADERS.subject, subject);
    headers.set(DEAD_LETTER_HEADERS.deliveries, '1');
    const ack = await nats.js.publish(nats.topology.deadLetterSubject(parkedBy, subject), JSON.stringify(event), {
      headers,
    });
    return ack.seq;
  }

  it('lists and shows a parked message, applies it once in its consumer, and takes it off the list', async () => {
    const { event, sequence } = await parkOne('parked');
    const { items } = await store.list({ limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({
        sequence,
        consumer: 'ranking-tracking',
        reason: 'permanent_failure',
        eventId: event.id,
        eventType: 'tracking.keyword.added',
        originalSubject: nats.topology.subject('tracking.keyword.added'),
      }),
    ]);
    expect((await store.list({ limit: 10, consumer: 'alerting-tracking' })).items).toEqual([]);
    const shown = await store.show(sequence);
    expect(shown.payload).toEqual(event);
    expect(shown.error).toContain('product not tracked yet');

    broken = false;
    const replay = await replayer.replay(sequence);
    expect(replay).toEqual({ sequence, consumer: 'ranking-tracking', eventId: event.id, outcome: 'handled' });
    expect(await effects()).toEqual([{ keyword: 'parked' }]);
    expect((await store.list({ limit: 10 })).items).toEqual([]);
    expect(await parked()).toHaveLength(0);
    // Replaying again is refused with a typed error, and nothing is applied twice.
    await expect(replayer.replay(sequence)).rejects.toMatchObject({ code: DeadLetterErrorCode.NotFound });
    expect(await effects()).toEqual([{ keyword: 'parked' }]);
  });

  it('applies nothing when the consumer had applied the event already, and still takes it off the list', async () => {
    broken = false;
    const event = aKeywordAddedEvent({ keyword: 'applied' });
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'applied' }]));
    const sequence = await parkCopy(event, 'ranking-tracking');

    expect(await replayer.replay(sequence)).toMatchObject({ outcome: 'duplicate', eventId: event.id });
    expect(await effects()).toEqual([{ keyword: 'applied' }]);
    expect(await parked()).toHaveLength(0);
  });

  it('keeps a dead letter whose handler fails again, and says why', async () => {
    const { sequence } = await parkOne('still-broken');
    const failed = replayer.replay(sequence);
    await expect(failed).rejects.toMatchObject({ code: DeadLetterErrorCode.ReplayFailed });
    await expect(failed).rejects.toThrow(/stays parked: handler failed again: product not tracked yet/);
    expect(await effects()).toEqual([]);
    expect((await store.list({ limit: 10 })).items.map((item) => item.sequence)).toEqual([sequence]);
    // Once fixed, the same dead letter replays.
    broken = false;
    expect(await replayer.replay(sequence)).toMatchObject({ outcome: 'handled' });
    expect(await effects()).toEqual([{ keyword: 'still-broken' }]);
  });

  it('keeps an invalid payload parked: no handler can ever take it', async () => {
    broken = false;
    await nats.js.publish(nats.topology.subject('tracking.keyword.added'), 'not json', { msgID: 'garbage' });
    await eventually(async () => expect(await parked()).toHaveLength(1));
    const [garbage] = (await store.list({ limit: 1 })).items;
    const failed = replayer.replay(garbage?.sequence ?? 0);
    await expect(failed).rejects.toMatchObject({ code: DeadLetterErrorCode.ReplayFailed });
    await expect(failed).rejects.toThrow(/stays parked: invalid payload/);
    expect(await parked()).toHaveLength(1);
  });

  it("refuses another service's dead letter, and one whose consumer header lies about who parked it", async () => {
    broken = false;
    const theirs = await parkCopy(aKeywordAddedEvent({ keyword: 'theirs' }), 'alerting-tracking');
    // Another service's user may publish on its own dead-letter subjects only, but may write any header there.
    const forged = await parkCopy(aKeywordAddedEvent({ keyword: 'forged' }), 'crawler-tracking', 'ranking-tracking');
    for (const sequence of [theirs, forged]) {
      await expect(replayer.replay(sequence)).rejects.toMatchObject({ code: DeadLetterErrorCode.NotOwnConsumer });
    }
    expect(await effects()).toEqual([]);
    expect(await parked()).toHaveLength(2);
  });

  it('pages the list newest first, and its cursor leads to every other dead letter once', async () => {
    const sequences = [];
    for (const keyword of ['one', 'two', 'three']) {
      sequences.push((await parkOne(keyword)).sequence);
    }
    const first = await store.list({ limit: 2 });
    expect(first.items.map((item) => item.sequence)).toEqual([sequences[2], sequences[1]]);
    const second = await store.list({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second).toEqual({ items: [expect.objectContaining({ sequence: sequences[0] })], nextCursor: null });
  });

  it('refuses unknown sequences with a typed error', async () => {
    await expect(store.show(999)).rejects.toMatchObject({ code: DeadLetterErrorCode.NotFound });
    await expect(replayer.replay(999)).rejects.toMatchObject({ code: DeadLetterErrorCode.NotFound });
  });
});
