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
  pause,
  readStream,
  startTcpProxy,
} from '@shelfwatch/testing';
import { EventConsumerOptions } from '../src/message-processor';
import { EventHandlerFn } from '../src/event-handler';
import { redeliveryDelayMs } from '../src/handler-errors';
import { messagingMetrics } from '../src/messaging-metrics';

const BASE_MS = 100;
const CAP_MS = 400;
/** What used to park a message: this many failed deliveries, about 0.3 s of back-off here. */
const OLD_PARKING_DELIVERIES = 3;

/** Most deliveries the back-off schedule allows within `elapsedMs`: every nak waits its delay first. */
function deliveriesAllowedWithin(elapsedMs: number): number {
  let deliveries = 1;
  let waited = redeliveryDelayMs(1, BASE_MS, CAP_MS);
  while (waited <= elapsedMs) {
    deliveries += 1;
    waited += redeliveryDelayMs(deliveries, BASE_MS, CAP_MS);
  }
  return deliveries;
}

/**
 * The consumer's Postgres fails over (its connection runs through a proxy the test cuts) for much longer
 * than the old dead-letter horizon, shortened by configuration: nothing is parked, everything is applied
 * once when it returns, and the retries follow the back-off schedule instead of spinning.
 */
describe('transient failures are retried, not parked', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let proxy: TcpProxy;
  let orm: MikroORM;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const viaProxy = new URL(db.adminUrl);
    viaProxy.port = String(proxy.port);
    orm = await openServiceOrm(existingTestDatabase(viaProxy.toString()), 'ranking', [
      `create table if not exists ranking.applied (
         event_id uuid not null, keyword text not null, delivery integer not null)`,
    ]);
  });

  beforeEach(async () => {
    nats = await createTestNats();
    await orm.em.fork().execute('truncate ranking.applied, ranking.inbox', [], 'run');
  });

  afterEach(async () => {
    await proxy.restore();
    await stop?.();
    stop = undefined;
    await nats.cleanup();
  });

  afterAll(async () => {
    await orm.close(true);
    await proxy.close();
    await db.drop();
  });

  async function start(
    handler: EventHandlerFn<'tracking.keyword.added'>,
    options: Partial<EventConsumerOptions>,
  ): Promise<void> {
    const handlers = new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]);
    const started = await consumerFor(orm, nats, handlers, {
      redeliveryBaseMs: BASE_MS,
      maxRedeliveryDelayMs: CAP_MS,
      ...options,
    });
    stop = async () => {
      await started.consumer.stop();
      await started.nc.close();
    };
  }

  async function publish(keyword: string): Promise<string> {
    const event = aKeywordAddedEvent({ keyword });
    await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    return event.id;
  }

  const applied = () =>
    orm.em
      .fork()
      .execute<{ event_id: string; keyword: string; delivery: number }[]>(
        'select event_id, keyword, delivery from ranking.applied order by keyword',
      );
  const deadLetters = () => readStream(nats, nats.topology.streamName(STREAMS.DEADLETTER));
  const apply: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
    await ctx.em.execute(
      'insert into ranking.applied values (?, ?, ?)',
      [event.id, event.data.keyword, ctx.deliveryCount],
      'run',
    );
  };

  /**
   * Resolves once the first attempt's handler has returned (`returned`) and no transaction is open on the test
   * database any more: the abandoned attempt has then either rolled back or, wrongly, committed.
   */
  async function untilFirstAttemptSettled(returned: Promise<void>): Promise<void> {
    await returned;
    await eventually(async () => {
      const [open] = await orm.em.fork().execute<{ count: string }[]>(
        `select count(*) from pg_stat_activity
            where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()`,
      );
      expect(open?.count).toBe('0');
    }, 30_000);
  }

  it('keeps retrying events published during a Postgres outage longer than the old horizon, then applies each once', async () => {
    await start(apply, { maxUnclassifiedFailures: OLD_PARKING_DELIVERIES, maxInFlight: 4 });
    await publish('before');
    await eventually(async () => expect(await applied()).toHaveLength(1));

    await proxy.cut();
    const cutAt = Date.now();
    const keywords = Array.from({ length: 12 }, (_, i) => `during-${String(i).padStart(2, '0')}`);
    for (const keyword of keywords) {
      await publish(keyword);
    }
    // Until every message has failed well past the deliveries that used to park it.
    const outageMs = 10 * CAP_MS;
    await pause(outageMs);
    expect(await deadLetters()).toHaveLength(0);
    await proxy.restore();

    const rows = await eventually(async () => {
      const now = await applied();
      expect(now.map((row) => row.keyword)).toEqual(['before', ...keywords]);
      return now;
    }, 30_000);
    const elapsedMs = Date.now() - cutAt;
    const during = rows.filter((row) => row.keyword !== 'before');
    expect(new Set(during.map((row) => row.event_id)).size).toBe(keywords.length);
    // Each was delivered more often than the old limit allowed, and no more often than the schedule allows.
    for (const row of during) {
      expect(row.delivery).toBeGreaterThan(OLD_PARKING_DELIVERIES);
      expect(row.delivery).toBeLessThanOrEqual(deliveriesAllowedWithin(elapsedMs));
    }
    expect(await deadLetters()).toHaveLength(0);
  });

  it('abandons a hung handler, rolls its transaction back and applies the message once on a retry', async () => {
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstReturned: () => void = () => undefined;
    const returned = new Promise<void>((resolve) => {
      firstReturned = resolve;
    });
    const timeouts = async () =>
      (await messagingMetrics.handlerTimeouts.get()).values
        .filter((value) => value.labels.consumer === 'ranking-tracking')
        .reduce((sum, value) => sum + value.value, 0);
    const before = await timeouts();
    await start(
      async (event, ctx) => {
        await apply(event, ctx);
        if (ctx.deliveryCount === 1) {
          await hung;
          firstReturned();
        }
      },
      { handlerTimeoutMs: 500 },
    );
    const id = await publish('hangs-first');
    await eventually(async () => expect(await timeouts()).toBeGreaterThan(before));
    // The first attempt wakes up after it was given up: it must not commit now.
    release();
    const [row] = await eventually(async () => {
      const now = await applied();
      expect(now).toHaveLength(1);
      return now;
    });
    expect(row?.event_id).toBe(id);
    expect(row?.delivery).toBeGreaterThan(1);
    await untilFirstAttemptSettled(returned);
    expect(await applied()).toHaveLength(1);
    expect(await deadLetters()).toHaveLength(0);
  });

  it('does not let a handler that never returns block its message: Postgres closes the abandoned session', async () => {
    let release: () => void = () => undefined;
    const never = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstReturned: () => void = () => undefined;
    const returned = new Promise<void>((resolve) => {
      firstReturned = resolve;
    });
    await start(
      async (event, ctx) => {
        await apply(event, ctx);
        if (ctx.deliveryCount === 1) {
          await never;
          firstReturned();
        }
      },
      { handlerTimeoutMs: 500 },
    );
    try {
      const id = await publish('never-returns');
      // The retry needs the inbox row the abandoned transaction locked; it gets it once that session is gone.
      const [row] = await eventually(async () => {
        const now = await applied();
        expect(now).toHaveLength(1);
        return now;
      });
      expect(row).toMatchObject({ event_id: id, keyword: 'never-returns' });
      expect(row?.delivery).toBeGreaterThan(1);
    } finally {
      // Only so that the pool can close at the end of the suite.
      release();
    }
    await untilFirstAttemptSettled(returned);
    expect(await applied()).toHaveLength(1);
  });
});
