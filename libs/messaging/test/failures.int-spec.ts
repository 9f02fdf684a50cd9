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
  pause,
  readStream,
  TEST_ACK_WAIT_MS,
} from '@shelfwatch/testing';
import { DEAD_LETTER_HEADERS } from '../src/dead-letter';
import { EventHandlerFn } from '../src/event-handler';
import { EventConsumerOptions } from '../src/message-processor';
import { PermanentHandlerError } from '../src/handler-errors';

describe('consumer failure handling', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'ranking', [
      'create table if not exists ranking.effects (event_id uuid not null, keyword text not null)',
    ]);
  });

  beforeEach(async () => {
    nats = await createTestNats();
    await orm.em.fork().execute('truncate ranking.effects, ranking.inbox', [], 'run');
  });

  afterEach(async () => {
    await stop();
    await nats.cleanup();
  });

  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  async function start(
    handler: EventHandlerFn<'tracking.keyword.added'>,
    options: Partial<EventConsumerOptions> = {},
  ): Promise<void> {
    const handlers = new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]);
    const { consumer, nc } = await consumerFor(orm, nats, handlers, { maxUnclassifiedFailures: 4, ...options });
    stop = async () => {
      await consumer.stop();
      await nc.close();
    };
  }

  async function publish(keyword: string): Promise<string> {
    const event = aKeywordAddedEvent({ keyword });
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    return event.id;
  }

  /**
   * A parked message is terminated for good: nothing stays ack-pending and nothing comes back after
   * ack_wait. (nats-server before 2.10.4 ignores a `+TERM <reason>` acknowledgement, which would redeliver it.)
   */
  async function expectSettledForGood(): Promise<void> {
    const stream = nats.topology.streamName(STREAMS.TRACKING);
    await eventually(async () =>
      expect((await nats.jsm.consumers.info(stream, 'ranking-tracking')).num_ack_pending).toBe(0),
    );
    await pause(TEST_ACK_WAIT_MS * 2);
    const info = await nats.jsm.consumers.info(stream, 'ranking-tracking');
    expect({ pending: info.num_pending, unacked: info.num_ack_pending, redelivered: info.num_redelivered }).toEqual({
      pending: 0,
      unacked: 0,
      redelivered: info.num_redelivered,
    });
  }

  const deadLetters = () => readStream(nats, nats.topology.streamName(STREAMS.DEADLETTER));
  const effects = () => orm.em.fork().execute<{ keyword: string }[]>('select keyword from ranking.effects order by 1');

  it('redelivers a transiently failing handler with growing delays until it succeeds', async () => {
    const attempts: number[] = [];
    await start(async (event, ctx) => {
      attempts.push(Date.now());
      if (ctx.deliveryCount < 3) {
        throw new Error('database briefly unavailable');
      }
      await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
    });
    await publish('flaky');
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'flaky' }]), 10_000);
    expect(attempts).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = attempts;
    // nak delays: 200 ms after the 1st delivery, 400 ms after the 2nd.
    expect(second - first).toBeGreaterThanOrEqual(180);
    expect(third - second).toBeGreaterThanOrEqual(380);
    expect(await deadLetters()).toHaveLength(0);
  });

  it('dead-letters an invalid payload after one delivery with its reason, and keeps consuming', async () => {
    let calls = 0;
    await start(async (event, ctx) => {
      calls += 1;
      await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
    });
    const bad = { ...aKeywordAddedEvent(), data: { keyword: '' } };
    await nats.js.publish(nats.topology.subject('tracking.keyword.added'), JSON.stringify(bad), { msgID: 'bad-1' });
    await publish('after-poison');
    await eventually(async () => expect(await deadLetters()).toHaveLength(1));
    const [parked] = await deadLetters();
    expect(parked?.subject).toBe(nats.topology.subject('deadletter.ranking-tracking.tracking.keyword.added'));
    expect(parked?.header.get(DEAD_LETTER_HEADERS.reason)).toBe('invalid_payload');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.error)).toContain('data.productId');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.messageId)).toBe('bad-1');
    expect(parked?.json()).toEqual(bad);
    await eventually(async () => expect(await effects()).toEqual([{ keyword: 'after-poison' }]));
    expect(calls).toBe(1);
    await expectSettledForGood();
    expect(await deadLetters()).toHaveLength(1);
  });

  it('in batch mode dead-letters the poison messages of a batch and applies the rest once, without a rollback', async () => {
    const subject = nats.topology.subject('tracking.keyword.added');
    await publish('before-poison');
    await nats.js.publish(subject, 'not json at all', { msgID: 'bad-text' });
    await nats.js.publish(subject, JSON.stringify({ ...aKeywordAddedEvent(), data: {} }), { msgID: 'bad-shape' });
    await publish('after-poison');
    let calls = 0;
    await start(
      async (event, ctx) => {
        calls += 1;
        await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
      },
      { batchSize: 50 },
    );
    await eventually(async () =>
      expect(await effects()).toEqual([{ keyword: 'after-poison' }, { keyword: 'before-poison' }]),
    );
    await eventually(async () => expect(await deadLetters()).toHaveLength(2));
    const parked = await deadLetters();
    expect(parked.map((m) => m.header.get(DEAD_LETTER_HEADERS.messageId)).sort()).toEqual(['bad-shape', 'bad-text']);
    expect(parked.map((m) => m.header.get(DEAD_LETTER_HEADERS.reason))).toEqual(['invalid_payload', 'invalid_payload']);
    await expectSettledForGood();
    // Neither poison message rolled the batch back: each good one was applied once, in the same batch
    expect(calls).toBe(2);
  });

  it('dead-letters an always-failing message after max_deliver while other messages flow', async () => {
    const seen: Record<string, number> = {};
    await start(
      async (event, ctx) => {
        seen[event.data.keyword] = (seen[event.data.keyword] ?? 0) + 1;
        if (event.data.keyword === 'poison') {
          throw new Error('always broken');
        }
        await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
      },
      { maxUnclassifiedFailures: 3 },
    );
    await publish('poison');
    for (const keyword of ['a', 'b', 'c']) {
      await publish(keyword);
    }
    await eventually(async () =>
      expect(await effects()).toEqual([{ keyword: 'a' }, { keyword: 'b' }, { keyword: 'c' }]),
    );
    await eventually(async () => expect(await deadLetters()).toHaveLength(1), 10_000);
    const [parked] = await deadLetters();
    expect(parked?.header.get(DEAD_LETTER_HEADERS.reason)).toBe('max_deliver_exceeded');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.error)).toContain('always broken');
    expect(seen.poison).toBe(3);
    await expectSettledForGood();
    expect(seen.poison).toBe(3);
  });

  it('dead-letters a permanent failure at once and rolls back its effects', async () => {
    await start(async (event, ctx) => {
      await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
      throw new PermanentHandlerError('unknown_product', 'product was never tracked');
    });
    await publish('doomed');
    await eventually(async () => expect(await deadLetters()).toHaveLength(1));
    const [parked] = await deadLetters();
    expect(parked?.header.get(DEAD_LETTER_HEADERS.reason)).toBe('permanent_failure');
    expect(parked?.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    expect(await effects()).toEqual([]);
    const [inbox] = await orm.em.fork().execute<{ count: string }[]>('select count(*) from ranking.inbox');
    expect(inbox?.count).toBe('0');
  });
});
