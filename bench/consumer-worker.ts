/**
 * The consuming service of the throughput bench, in its own process as in a deployment: applies
 * `BENCH_EVENTS` events (one effect row each when `BENCH_EFFECT` is 1) and prints `done <epoch ms>`.
 */
import { EventType } from '@shelfwatch/contracts';
import { EventHandlerFn, Topology } from '@shelfwatch/messaging';
import { TestNats, consumerFor, existingTestDatabase, eventually, openServiceOrm } from '@shelfwatch/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freshEm } from '@shelfwatch/persistence';

async function main(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS);
  const withEffect = process.env.BENCH_EFFECT === '1';
  const db = existingTestDatabase(String(process.env.BENCH_DATABASE_URL));
  const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  const topology = new Topology(String(process.env.BENCH_NAMESPACE));
  const nats: TestNats = {
    nc,
    js: jetstream(nc),
    jsm: await jetstreamManager(nc),
    namespace: topology.namespace,
    topology,
    cleanup: () => nc.close(),
  };
  const orm = await openServiceOrm(db, 'ranking', [
    'create table if not exists ranking.effects (event_id uuid not null)',
  ]);
  const handler: EventHandlerFn = async (event, ctx) => {
    if (withEffect) {
      await ctx.em.execute('insert into ranking.effects values (?)', [event.id], 'run');
    }
  };
  const { consumer, nc: consumerConnection } = await consumerFor(
    orm,
    nats,
    new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler]]),
    { batchSize: 250 },
  );
  console.log('ready');
  await eventually(
    async () => {
      const [row] = await freshEm(orm).execute<{ count: string }[]>('select count(*) from ranking.inbox');
      if (Number(row?.count) < events) {
        throw new Error('not yet');
      }
    },
    600_000,
    10,
  );
  console.log(`done ${Date.now()}`);
  await consumer.stop();
  await consumerConnection.close();
  await orm.close(true);
  await nc.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
