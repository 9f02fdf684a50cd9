import { MikroORM } from '@mikro-orm/postgresql';
import { jetstream } from '@nats-io/jetstream';
import { NatsConnection, connect } from '@nats-io/transport-node';
import { STREAMS } from '@shelfwatch/contracts';
import {
  TcpProxy,
  TestDatabase,
  TestNats,
  anOrigin,
  capturingLogger,
  createTestDatabase,
  createTestNats,
  eventually,
  keywordAddedData,
  openServiceOrm,
  readStream,
  startTcpProxy,
  writer,
} from '@shelfwatch/testing';
import { OutboxRelay, defaultRelayOptions } from '../src/outbox-relay';

/** The relay's NATS connection goes through a proxy the test cuts: writes go on, nothing is lost or reordered. */
describe('outbox relay across a NATS outage', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let nats: TestNats;
  let proxy: TcpProxy;
  let relayConnection: NatsConnection;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openServiceOrm(db, 'crawler');
    nats = await createTestNats();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 4222 });
    relayConnection = await connect({
      servers: `nats://127.0.0.1:${proxy.port}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 100,
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await relayConnection.close();
    await proxy.close();
    await nats.cleanup();
    await orm.close(true);
    await db.drop();
  });

  async function write(from: number, count: number): Promise<void> {
    for (let i = from; i < from + count; i++) {
      await orm.em.fork().transactional((em) =>
        writer('crawler').append(em, {
          type: 'tracking.keyword.added',
          data: keywordAddedData({ keyword: `k${i % 4}-${String(i).padStart(4, '0')}` }),
          origin: anOrigin(),
          aggregateKey: `k${i % 4}`,
        }),
      );
    }
  }

  it('publishes everything written before, during and after the outage, once each and in order per aggregate', async () => {
    const relayLog = capturingLogger('crawler');
    relay = new OutboxRelay(orm, jetstream(relayConnection), nats.topology, relayLog.logger, {
      ...defaultRelayOptions,
      schema: 'crawler',
      pollIntervalMs: 50,
      maxBackoffMs: 300,
    });
    await relay.start();
    await write(0, 40);
    await proxy.cut();
    await write(40, 40);
    // The relay tried during the outage and failed: rows written meanwhile wait, each failure recorded.
    await eventually(async () => {
      const [during] = await orm.em
        .fork()
        .execute<{ count: string }[]>(
          'select count(*) from crawler.outbox where published_at is null and last_error is not null',
        );
      expect(Number(during?.count)).toBeGreaterThan(0);
    }, 30_000);
    // A round that published nothing fails and backs off (commits do not wake it): said once a round, with its delay.
    await eventually(() => {
      const failed = relayLog.entries().filter((entry) => entry.msg === 'outbox relay failed');
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]).toMatchObject({ level: 'error', delayMs: 200 });
      expect(String((failed[0]?.err as { message?: unknown } | undefined)?.message)).toMatch(
        /^published none of \d+ rows/,
      );
      return Promise.resolve();
    }, 30_000);
    await proxy.restore();
    await write(80, 40);
    await eventually(async () => {
      const [pending] = await orm.em
        .fork()
        .execute<{ count: string }[]>('select count(*) from crawler.outbox where published_at is null');
      expect(pending?.count).toBe('0');
    }, 30_000);
    await relay.stop();
    relay = undefined;
    const keywords = (await readStream(nats, nats.topology.streamName(STREAMS.TRACKING))).map(
      (msg) => msg.json<{ data: { keyword: string } }>().data.keyword,
    );
    expect(keywords).toHaveLength(120);
    expect(new Set(keywords).size).toBe(120);
    for (const key of ['k0', 'k1', 'k2', 'k3']) {
      const mine = keywords.filter((keyword) => keyword.startsWith(`${key}-`));
      expect(mine).toEqual([...mine].sort());
    }
  });
});
