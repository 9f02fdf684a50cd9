import { setTimeout as sleep } from 'node:timers/promises';
import { MikroORM } from '@mikro-orm/postgresql';
import { AnyEvent, EventType } from '@shelfwatch/contracts';
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
import { EventHandlerFn } from '../src/event-handler';
import { EventConsumerOptions } from '../src/message-processor';

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];
const PER_KEY = 12;

/** `a-07` → `a`. */
const keyOf = (event: AnyEvent): string => (event.data as { keyword: string }).keyword.split('-')[0] ?? '';

/**
 * An ordering key (`EventConsumerOptions.orderingKey`): the events of one key are applied one transaction after
 * another, in the order they were published; different keys in parallel. Handlers sleep a varying time, so that
 * applied without the key, the events of one key overlap and finish out of order.
 */
describe('consumer with an ordering key', () => {
  let db: TestDatabase;
  let producer: MikroORM;
  let consumerOrm: MikroORM;
  let nats: TestNats;

  beforeAll(async () => {
    db = await createTestDatabase();
    producer = await openServiceOrm(db, 'crawler');
    consumerOrm = await openServiceOrm(db, 'ranking', [
      'create table if not exists ranking.effects (event_id uuid not null, keyword text not null, applied bigserial)',
    ]);
  });

  beforeEach(async () => {
    nats = await createTestNats();
    await consumerOrm.em.fork().execute('truncate ranking.effects, ranking.inbox', [], 'run');
    await producer.em.fork().execute('truncate crawler.outbox', [], 'run');
  });

  afterEach(async () => {
    await nats.cleanup();
  });

  afterAll(async () => {
    await producer.close(true);
    await consumerOrm.close(true);
    await db.drop();
  });

  /** Publishes the keys' events interleaved (a-00, b-00, …, f-00, a-01, …), in that order. */
  async function publishInterleaved(): Promise<string[]> {
    const keywords = Array.from({ length: PER_KEY }, (_, i) =>
      KEYS.map((key) => `${key}-${String(i).padStart(2, '0')}`),
    ).flat();
    await producer.em.fork().transactional((em) =>
      writer('crawler').appendMany(
        em,
        keywords.map((keyword) => ({
          type: 'tracking.keyword.added' as const,
          data: keywordAddedData({ keyword }),
          origin: anOrigin(),
          aggregateKey: 'one-chain',
        })),
      ),
    );
    await relayFor(producer, nats, { batchSize: 1_000 }).relayOnce();
    return keywords;
  }

  /**
   * Applies every event with a handler that sleeps 0–15 ms; returns, per key, the order the events were applied in,
   * the most transactions seen at once, and whether two events of one key were ever applied at once.
   */
  async function applyAll(options: Partial<EventConsumerOptions>) {
    const active = new Map<string, number>();
    let running = 0;
    let mostAtOnce = 0;
    let sameKeyAtOnce = false;
    const handler: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
      const key = keyOf(event);
      active.set(key, (active.get(key) ?? 0) + 1);
      sameKeyAtOnce ||= (active.get(key) ?? 0) > 1;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        // Varying per event, the same in every run: the later events of a key are the quicker ones.
        const index = Number(event.data.keyword.split('-')[1]);
        await sleep(15 - index);
        await ctx.em.execute(
          'insert into ranking.effects (event_id, keyword) values (?, ?)',
          [event.id, event.data.keyword],
          'run',
        );
      } finally {
        running -= 1;
        active.set(key, (active.get(key) ?? 1) - 1);
      }
    };
    const { consumer, nc } = await consumerFor(
      consumerOrm,
      nats,
      new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]),
      options,
    );
    try {
      await eventually(async () => {
        const [row] = await consumerOrm.em.fork().execute<{ count: string }[]>('select count(*) from ranking.effects');
        expect(Number(row?.count)).toBe(KEYS.length * PER_KEY);
      }, 20_000);
    } finally {
      await consumer.stop();
      await nc.close();
    }
    const rows = await consumerOrm.em
      .fork()
      .execute<{ keyword: string }[]>('select keyword from ranking.effects order by applied');
    const orderByKey = new Map<string, string[]>();
    for (const { keyword } of rows) {
      const key = keyword.split('-')[0] ?? '';
      orderByKey.set(key, [...(orderByKey.get(key) ?? []), keyword]);
    }
    return { orderByKey, mostAtOnce, sameKeyAtOnce };
  }

  const inOrder = (key: string) => Array.from({ length: PER_KEY }, (_, i) => `${key}-${String(i).padStart(2, '0')}`);

  it.each([
    ['one message per transaction', { batchSize: 1, maxInFlight: 12 }],
    ['batches of 4', { batchSize: 4, maxInFlight: 12 }],
  ])(
    '%s: applies each key in publish order, never two of a key at once, different keys in parallel',
    async (_, mode) => {
      await publishInterleaved();
      const { orderByKey, mostAtOnce, sameKeyAtOnce } = await applyAll({ ...mode, orderingKey: keyOf });
      for (const key of KEYS) {
        expect(orderByKey.get(key)).toEqual(inOrder(key));
      }
      expect(sameKeyAtOnce).toBe(false);
      expect(mostAtOnce).toBeGreaterThan(1);
    },
  );

  it('applies every event even when the key function throws for some of them (the consumer keeps pulling)', async () => {
    await publishInterleaved();
    const flaky = (event: AnyEvent): string => {
      if (keyOf(event) === 'c') {
        throw new Error('no key for c');
      }
      return keyOf(event);
    };
    const { orderByKey } = await applyAll({ batchSize: 1, maxInFlight: 12, orderingKey: flaky });
    for (const key of KEYS.filter((k) => k !== 'c')) {
      expect(orderByKey.get(key)).toEqual(inOrder(key));
    }
    expect([...(orderByKey.get('c') ?? [])].sort()).toEqual(inOrder('c'));
  });

  it('without the key (one message per transaction, 12 at once) the events of a key overlap and land out of order', async () => {
    await publishInterleaved();
    const { orderByKey, sameKeyAtOnce } = await applyAll({ batchSize: 1, maxInFlight: 12 });
    // The baseline the test above guards against: the same events, the same handler, no key.
    expect(
      sameKeyAtOnce || KEYS.some((key) => JSON.stringify(orderByKey.get(key)) !== JSON.stringify(inOrder(key))),
    ).toBe(true);
  });
});
