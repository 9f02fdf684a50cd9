import { MikroORM } from '@mikro-orm/postgresql';
import { STREAMS } from '@shelfwatch/contracts';
import {
  TestDatabase,
  TestNats,
  anOrigin,
  createTestDatabase,
  createTestNats,
  eventually,
  keywordAddedData,
  openServiceOrm,
  readStream,
  relayFor,
  writer,
} from '@shelfwatch/testing';

/**
 * The commit-order gap (docs/messaging.md, Guarantees): positions are taken before commit, so a transaction holding
 * position 5 may commit after position 9 was already published. A relay that advances a checkpoint skips
 * position 5 forever; ours must publish every committed row while writers race it.
 */
describe('outbox relay under concurrent writers', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'crawler');
    nats = await createTestNats();
  });

  afterAll(async () => {
    await nats.cleanup();
    await orm.close(true);
    await db.drop();
  });

  it('publishes every committed row exactly once even when commits land out of position order', async () => {
    const relay = relayFor(orm, nats, { batchSize: 50, pollIntervalMs: 20 });
    await relay.start();
    const writers = 16;
    const perWriter = 12;
    const written: string[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          await orm.em.fork().transactional(async (em) => {
            const event = await writer('crawler').append(em, {
              type: 'tracking.keyword.added',
              data: keywordAddedData({ keyword: `w${w}-${i}` }),
              origin: anOrigin(),
              aggregateKey: `writer-${w}`,
            });
            // Hold the transaction open after taking a position, so later positions commit first.
            await em.execute(`select pg_sleep(?)`, [((w * 7 + i * 13) % 10) / 100], 'run');
            written.push(event.id);
          });
        }
      }),
    );
    await eventually(async () => {
      const [pending] = await orm.em
        .fork()
        .execute<{ count: string }[]>('select count(*) from crawler.outbox where published_at is null');
      expect(pending?.count).toBe('0');
    }, 20_000);
    await relay.stop();
    const stored = await readStream(nats, nats.topology.streamName(STREAMS.TRACKING));
    const ids = stored.map((msg) => msg.header.get('Nats-Msg-Id'));
    expect(ids).toHaveLength(writers * perWriter);
    expect(new Set(ids)).toEqual(new Set(written));
    // Per aggregate, the stream holds events in the order they were written.
    for (let w = 0; w < writers; w++) {
      const order = stored
        .map((msg) => msg.json<{ data: { keyword: string } }>().data.keyword)
        .filter((keyword) => keyword.startsWith(`w${w}-`));
      expect(order).toEqual(Array.from({ length: perWriter }, (_, i) => `w${w}-${i}`));
    }
  });
});
