import { MikroORM } from '@mikro-orm/postgresql';
import { EventType, STREAMS } from '@shelfwatch/contracts';
import {
  TcpProxy,
  TestDatabase,
  TestNats,
  aKeywordAddedEvent,
  consumerFor,
  createTestDatabase,
  createTestNats,
  eventually,
  existingTestDatabase,
  openServiceOrm,
  startTcpProxy,
} from '@shelfwatch/testing';
import { EventHandlerFn } from '../src/event-handler';

/**
 * The consumer's Postgres goes away (its connection runs through a proxy the test cuts) while messages
 * arrive: they are retried, none is applied twice or lost, and the consumer recovers once Postgres is
 * back, without leaking pool connections on the failed transactions.
 */
describe('consumer across a Postgres outage', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let proxy: TcpProxy;
  let orm: MikroORM;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await createTestNats();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const viaProxy = new URL(db.adminUrl);
    viaProxy.port = String(proxy.port);
    orm = await openServiceOrm(existingTestDatabase(viaProxy.toString()), 'ranking', [
      'create table if not exists ranking.effects (event_id uuid not null, keyword text not null)',
    ]);
  });

  afterAll(async () => {
    await stop();
    await orm.close(true);
    await proxy.close();
    await nats.cleanup();
    await db.drop();
  });

  async function publish(from: number, count: number): Promise<void> {
    for (let i = from; i < from + count; i++) {
      const event = aKeywordAddedEvent({ keyword: `kw-${String(i).padStart(3, '0')}` });
      await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    }
  }

  it('applies every message once after Postgres comes back', async () => {
    const handler: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
      await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
    };
    const started = await consumerFor(
      orm,
      nats,
      new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]),
      {
        redeliveryBaseMs: 100,
        maxRedeliveryDelayMs: 300,
        maxInFlight: 4,
      },
    );
    stop = async () => {
      await started.consumer.stop();
      await started.nc.close();
    };
    await publish(0, 20);
    await eventually(async () => {
      const [row] = await orm.em.fork().execute<{ count: string }[]>('select count(*) from ranking.effects');
      expect(row?.count).toBe('20');
    });
    await proxy.cut();
    await publish(20, 40);
    // Until the outage has made handlers fail and their messages come back: the retries are what is tested.
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.TRACKING), 'ranking-tracking');
      expect(info.num_redelivered).toBeGreaterThan(0);
    }, 30_000);
    await proxy.restore();
    await eventually(async () => {
      const rows = await orm.em.fork().execute<{ keyword: string }[]>('select keyword from ranking.effects');
      expect(rows).toHaveLength(60);
      expect(new Set(rows.map((row) => row.keyword)).size).toBe(60);
    }, 30_000);
  });
});
