import { MikroORM } from '@mikro-orm/postgresql';
import { StoredMsg, jetstream } from '@nats-io/jetstream';
import { NatsConnection, connect } from '@nats-io/transport-node';
import { EventType } from '@shelfwatch/contracts';
import { createLogger } from '@shelfwatch/observability';
import { ensureServiceSchema, freshEm, ormOptions, serviceRole, withCredentials } from '@shelfwatch/persistence';
import {
  EventConsumer,
  EventConsumerOptions,
  EventHandlerFn,
  OutboxRelay,
  OutboxRelayOptions,
  OutboxWriter,
  PermanentHandlerError,
  consumersFor,
  defaultConsumerOptions,
  defaultRelayOptions,
  messagingTablesSql,
  outboxSetAsideSql,
  provisionConsumer,
  systemClock,
  uuidV7Ids,
} from '@shelfwatch/messaging';
import { TestDatabase } from './test-database';
import { TEST_NATS_URL, TestNats } from './test-nats';

export const logger = createLogger({ service: 'messaging-test', level: 'silent' });

/** Opens a service's ORM as its own role, with the outbox/inbox tables (and `extraSql`) in its schema. */
export async function openServiceOrm(
  db: TestDatabase,
  service: 'crawler' | 'ranking',
  extraSql: string[] = [],
): Promise<MikroORM> {
  await ensureServiceSchema(db.adminUrl, service, serviceRole(service));
  const url = withCredentials(db.adminUrl, serviceRole(service), serviceRole(service));
  const orm = await MikroORM.init(ormOptions({ service, entities: [], migrations: [] }, url, 20));
  const em = freshEm(orm);
  for (const sql of [...messagingTablesSql(service), ...outboxSetAsideSql(service), ...extraSql]) {
    await em.execute(sql, [], 'run');
  }
  return orm;
}

export const writer = (schema: string) => new OutboxWriter(schema, systemClock, uuidV7Ids);

export function relayFor(orm: MikroORM, nats: TestNats, options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  return new OutboxRelay(orm, nats.js, nats.topology, logger, {
    ...defaultRelayOptions,
    pollIntervalMs: 50,
    ...options,
    schema: 'crawler',
  });
}

/** Short ack wait so that "died before ack" redeliveries happen within a test. */
export const TEST_ACK_WAIT_MS = 1_500;

/** A consumer of the ranking service on its own NATS connection (so the test can kill that connection). */
export async function consumerFor(
  orm: MikroORM,
  nats: TestNats,
  handlers: Map<EventType, EventHandlerFn>,
  options: Partial<EventConsumerOptions> = {},
): Promise<{ consumer: EventConsumer; nc: NatsConnection }> {
  const [definition] = consumersFor('ranking', [...handlers.keys()]);
  if (!definition) {
    throw new Error('no consumer definition');
  }
  await provisionConsumer(nats.jsm, nats.topology, definition, {
    ackWaitMs: TEST_ACK_WAIT_MS,
    maxAckPending: Math.max(64, (options.batchSize ?? 1) * 4),
  });
  // noAsyncTraces as the services connect (NatsLink): no two errors with stacks built up front per request.
  const nc = await connect({ servers: TEST_NATS_URL, name: 'ranking-test', noAsyncTraces: true });
  const consumer = new EventConsumer(
    definition,
    handlers,
    orm,
    jetstream(nc),
    writer('ranking'),
    nats.topology,
    logger,
    {
      ...defaultConsumerOptions,
      ackWaitMs: TEST_ACK_WAIT_MS,
      redeliveryBaseMs: 200,
      maxUnclassifiedFailures: 4,
      ...options,
      schema: 'ranking',
    },
  );
  await consumer.start();
  return { consumer, nc };
}

/** The table {@link keywordEffectsConsumer} records into (pass it to {@link openServiceOrm} for `ranking`). */
export const KEYWORD_EFFECTS_SQL =
  'create table if not exists ranking.effects (event_id uuid not null, keyword text not null)';

/**
 * The `ranking-tracking` consumer of `tracking.keyword.added`, recording each keyword in `ranking.effects`; while
 * `broken()` it refuses every event permanently, so each is parked at once (a bug until "the fix is deployed").
 */
export function keywordEffectsConsumer(
  orm: MikroORM,
  nats: TestNats,
  broken: () => boolean,
): Promise<{ consumer: EventConsumer; nc: NatsConnection }> {
  const handler: EventHandlerFn<'tracking.keyword.added'> = async (event, ctx) => {
    if (broken()) {
      throw new PermanentHandlerError('unknown_product', 'product not tracked yet');
    }
    await ctx.em.execute('insert into ranking.effects values (?, ?)', [event.id, event.data.keyword], 'run');
  };
  return consumerFor(
    orm,
    nats,
    new Map<EventType, EventHandlerFn>([['tracking.keyword.added', handler as EventHandlerFn]]),
  );
}

/** Every message currently stored in a stream on `subject` (read one by one by sequence). */
export async function readStream(nats: TestNats, stream: string, subject?: string): Promise<StoredMsg[]> {
  const info = await nats.jsm.streams.info(stream);
  const out: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await nats.jsm.streams.getMessage(stream, { seq });
    if (msg && (subject === undefined || msg.subject === subject)) {
      out.push(msg);
    }
  }
  return out;
}
