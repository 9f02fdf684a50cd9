/**
 * The consuming service of the throughput bench, in its own process as in a deployment: applies `BENCH_EVENTS`
 * events and prints `done <epoch ms>` once they are committed. `BENCH_EFFECT` is the handler's write:
 * `row`, one effect statement per event; `set`, the batch's effects in one statement just before the commit
 * (`beforeCommit`, as the reporting projection does); `none`, nothing but the inbox.
 * Completion is counted in-process from the commits (the consumer's `afterCommit` seam), then checked once
 * against the inbox and effect tables: polling `count(*)` would spend the cores being measured.
 */
import { EntityManager } from '@mikro-orm/postgresql';
import { EventType } from '@shelfwatch/contracts';
import { EventHandlerFn, Topology } from '@shelfwatch/messaging';
import { TestNats, consumerFor, existingTestDatabase, openServiceOrm } from '@shelfwatch/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { arrayLiteral, freshEm } from '@shelfwatch/persistence';

type Effect = 'row' | 'set' | 'none';

function effectOf(value: string | undefined): Effect {
  if (value === 'row' || value === 'set' || value === 'none') {
    return value;
  }
  throw new Error(`BENCH_EFFECT must be row, set or none, not ${String(value)}`);
}

/** The handler for `effect`: its write per event, or its share of one write per transaction. */
function handlerFor(effect: Effect): EventHandlerFn {
  const pending = new WeakMap<EntityManager, string[]>();
  return async (event, ctx) => {
    if (effect === 'row') {
      await ctx.em.execute('insert into ranking.effects values (?)', [event.id], 'run');
    } else if (effect === 'set') {
      const ids = pending.get(ctx.em);
      if (ids) {
        ids.push(event.id);
        return;
      }
      const batch = [event.id];
      pending.set(ctx.em, batch);
      ctx.beforeCommit('bench:effects', async (em) => {
        pending.delete(ctx.em);
        await em.execute('insert into ranking.effects select unnest(?::uuid[])', [arrayLiteral(batch)], 'run');
      });
    }
  };
}

async function main(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS);
  const effect = effectOf(process.env.BENCH_EFFECT);
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
  const committed = new Set<string>();
  let allCommitted: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allCommitted = resolve));
  const { consumer, nc: consumerConnection } = await consumerFor(
    orm,
    nats,
    new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handlerFor(effect)]]),
    {
      batchSize: 250,
      afterCommit: (event) => {
        committed.add(event.id);
        if (committed.size >= events) {
          allCommitted();
        }
        return Promise.resolve();
      },
    },
  );
  console.log('ready');
  await finished;
  const doneAt = Date.now();
  // Ground truth, once: every event in the inbox, and its effect row unless there is none.
  const em = freshEm(orm);
  const [inbox] = await em.execute<{ count: string }[]>('select count(*) from ranking.inbox');
  const [effects] = await em.execute<{ count: string }[]>('select count(*) from ranking.effects');
  if (Number(inbox?.count) < events || (effect !== 'none' && Number(effects?.count) < events)) {
    throw new Error(`committed ${committed.size}, but inbox ${inbox?.count} and effects ${effects?.count}`);
  }
  console.log(`done ${doneAt}`);
  await consumer.stop();
  await consumerConnection.close();
  await orm.close(true);
  await nc.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
