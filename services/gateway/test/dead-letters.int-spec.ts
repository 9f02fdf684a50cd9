import { MikroORM } from '@mikro-orm/postgresql';
import { NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import { STREAMS, buildEvent } from '@shelfwatch/contracts';
import { randomUUID } from 'node:crypto';
import {
  DEAD_LETTER_HEADERS,
  DeadLetterReplayer,
  DeadLetterStore,
  EventConsumer,
  RpcServer,
  deadLetterReplaySubject,
} from '@shelfwatch/messaging';
import { createLogger } from '@shelfwatch/observability';
import {
  aKeywordAddedEvent,
  anOrigin,
  keywordEffectsConsumer,
  KEYWORD_EFFECTS_SQL,
  eventually,
  freePort,
  openServiceOrm,
  readStream,
} from '@shelfwatch/testing';
import { loadDeadLettersConfig } from '../../../tools/cli/cli.config';
import { deadLetters } from '../../../tools/cli/dead-letters';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { HealthAppModule } from '../../health/src/app.module';
import { loadHealthConfig } from '../../health/src/health.config';
import { healthPersistence } from '../../health/src/health.persistence';
import { RetentionAppModule } from '../../retention/src/app.module';
import { loadRetentionConfig } from '../../retention/src/retention.config';
import { retentionPersistence } from '../../retention/src/retention.persistence';
import { GatewayAppModule } from '../src/app.module';
import { loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ADMIN_KEY, Api } from './gateway.e2e-harness';

interface Listed {
  items: { sequence: number; eventId: string; consumer: string }[];
  nextCursor: string | null;
}

/**
 * The operator's dead-letter routes end to end: the gateway asks health over NATS, health lists and shows from
 * DEADLETTER and has the owner of the consumer (here a ranking consumer with a switchable handler, served as
 * `ranking.dead-letters.replay` by the library's replayer) apply it again. Only the admin key sees parked payloads.
 */
describe('gateway dead-letter admin routes', () => {
  let environment: TestEnvironment;
  let gateway: ServiceUnderTest;
  let health: ServiceUnderTest;
  let retention: ServiceUnderTest;
  let orm: MikroORM;
  let owner: { consumer: EventConsumer; nc: NatsConnection; server: RpcServer };
  let api: Api;
  let tenantKey: string;
  let broken = true;

  beforeAll(async () => {
    environment = await createTestEnvironment([gatewayPersistence, healthPersistence, retentionPersistence]);
    const { env, nats, db } = environment;
    gateway = await bootService('gateway', loadGatewayConfig({ ...env, ADMIN_API_KEY: ADMIN_KEY }), (c, l) =>
      GatewayAppModule.forConfig(c, l),
    );
    health = await bootService('health', loadHealthConfig(env), (c, l) => HealthAppModule.forConfig(c, l));
    retention = await bootService(
      'retention',
      loadRetentionConfig({ ...env, RETENTION_SWEEP_ENABLED: 'false' }),
      (c, l) => RetentionAppModule.forConfig(c, l),
    );
    orm = await openServiceOrm(db, 'ranking', [KEYWORD_EFFECTS_SQL]);
    const { consumer, nc } = await keywordEffectsConsumer(orm, nats, () => broken);
    const replayer = new DeadLetterReplayer(
      new DeadLetterStore(nats.jsm, nats.topology),
      nats.topology,
      new Map([[consumer.durable, consumer.processor]]),
    );
    const server = new RpcServer(nc, nats.topology, 'ranking', createLogger({ service: 'ranking', level: 'silent' }));
    server.serve(deadLetterReplaySubject('ranking'), (payload) => replayer.answer(payload));
    owner = { consumer, nc, server };
    api = new Api(gateway);
    tenantKey = (await api.tenant('acme')).apiKey;
  });

  afterAll(async () => {
    await owner?.server.stop();
    await owner?.consumer.stop();
    await owner?.nc.close();
    await gateway?.close();
    await health?.close();
    await retention?.close();
    await orm?.close(true);
    await environment?.cleanup();
  });

  const effects = () => orm.em.fork().execute<{ keyword: string }[]>('select keyword from ranking.effects');
  const parked = () => readStream(environment.nats, environment.nats.topology.streamName(STREAMS.DEADLETTER));
  const admin = <T>(method: string, url: string) => api.call<T>(method, url, { key: ADMIN_KEY });

  /** An event the consumer refuses while `broken`, parked by the consumer itself. */
  async function parkOne(keyword: string) {
    const { js, topology } = environment.nats;
    const before = (await parked()).length;
    const event = aKeywordAddedEvent({ keyword });
    await js.publish(topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => expect(await parked()).toHaveLength(before + 1));
    const list = await admin<Listed>('GET', '/v1/admin/dead-letters?consumer=ranking-tracking&limit=1');
    const [newest] = list.body.items;
    expect(newest?.eventId).toBe(event.id);
    return { event, sequence: newest?.sequence ?? 0 };
  }

  it('refuses tenants and anonymous callers: parked payloads are every tenant’s data', async () => {
    const { sequence } = await parkOne('secret');
    for (const key of [tenantKey, undefined]) {
      for (const [method, url] of [
        ['GET', '/v1/admin/dead-letters'],
        ['GET', `/v1/admin/dead-letters/${sequence}`],
        ['POST', `/v1/admin/dead-letters/${sequence}/replay`],
      ] as const) {
        const answer = await api.call(method, url, { key });
        expect({ method, url, status: answer.status }).toEqual({
          method,
          url,
          status: key === undefined ? 401 : 403,
        });
        expect(answer.text).not.toContain('secret');
      }
    }
    expect((await parked()).map((msg) => msg.seq)).toContain(sequence);
  });

  it('lists, shows and replays a dead letter once in its consumer; a second replay is 404', async () => {
    const { event, sequence } = await parkOne('parked');
    const shown = await admin('GET', `/v1/admin/dead-letters/${sequence}`);
    expect(shown).toMatchObject({ status: 200, body: { payload: event, reason: 'permanent_failure' } });

    broken = false;
    try {
      const replay = await admin('POST', `/v1/admin/dead-letters/${sequence}/replay`);
      expect(replay).toMatchObject({
        status: 200,
        body: { sequence, consumer: 'ranking-tracking', eventId: event.id, outcome: 'handled' },
      });
      expect(await effects()).toContainEqual({ keyword: 'parked' });
      const again = await admin('POST', `/v1/admin/dead-letters/${sequence}/replay`);
      expect(again).toMatchObject({ status: 404, body: { type: 'https://shelfwatch.dev/problems/not-found' } });
      expect((await effects()).filter((row) => row.keyword === 'parked')).toHaveLength(1);
      expect((await parked()).map((msg) => msg.seq)).not.toContain(sequence);
    } finally {
      broken = true;
    }
  });

  it('applies nothing when the consumer had applied the event already', async () => {
    const { event, sequence } = await parkOne('applied-meanwhile');
    // The event reached the consumer again (a producer's retry, say) after the fix, before the replay.
    broken = false;
    try {
      const { js, topology } = environment.nats;
      await js.publish(topology.subject(event.type), JSON.stringify(event), { msgID: `retry-${event.id}` });
      await eventually(async () => expect(await effects()).toContainEqual({ keyword: 'applied-meanwhile' }));
      const replay = await admin('POST', `/v1/admin/dead-letters/${sequence}/replay`);
      expect(replay).toMatchObject({ status: 200, body: { outcome: 'duplicate', eventId: event.id } });
      expect((await effects()).filter((row) => row.keyword === 'applied-meanwhile')).toHaveLength(1);
    } finally {
      broken = true;
    }
  });

  it('keeps a dead letter whose handler fails again, and answers 409 saying why', async () => {
    const { sequence } = await parkOne('still-broken');
    const replay = await admin<{ detail: string }>('POST', `/v1/admin/dead-letters/${sequence}/replay`);
    expect(replay.status).toBe(409);
    expect(replay.body.detail).toMatch(/stays parked: handler failed again: product not tracked yet/);
    expect((await parked()).map((msg) => msg.seq)).toContain(sequence);
    expect(await effects()).not.toContainEqual({ keyword: 'still-broken' });
  });

  it('answers 404 to a dead letter of a consumer no service owns', async () => {
    const { js, topology } = environment.nats;
    const event = aKeywordAddedEvent({ keyword: 'orphan' });
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.consumer, 'ghost-tracking');
    headers.set(DEAD_LETTER_HEADERS.subject, topology.subject(event.type));
    const ack = await js.publish(topology.deadLetterSubject('ghost-tracking', topology.subject(event.type)), '{}', {
      headers,
    });
    const replay = await admin<{ detail: string }>('POST', `/v1/admin/dead-letters/${ack.seq}/replay`);
    expect(replay).toMatchObject({ status: 404, body: { detail: expect.stringContaining('ghost-tracking') } });
  });

  it('pages the list with a cursor that leads to every dead letter once', async () => {
    for (const keyword of ['page-1', 'page-2', 'page-3']) {
      await parkOne(keyword);
    }
    const all = (await parked()).map((msg) => msg.seq).sort((a, b) => b - a);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await admin<Listed>('GET', `/v1/admin/dead-letters?limit=2${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item) => item.sequence));
      cursor = page.body.nextCursor;
    } while (cursor !== null && seen.length <= all.length);
    expect(seen).toEqual(all);
  });

  it('answers 400 to a sequence or cursor that is not a positive integer', async () => {
    for (const bad of ['abc', '0', '-1', '1.5']) {
      const answer = await admin('GET', `/v1/admin/dead-letters/${bad}`);
      expect({ bad, status: answer.status }).toEqual({ bad, status: 400 });
      const listed = await admin('GET', `/v1/admin/dead-letters?cursor=${bad}`);
      expect({ bad, status: listed.status }).toEqual({ bad, status: 400 });
    }
  });

  it('serves the CLI: JSON lines for a list, one line for not found, a bad key, and a gateway that is down', async () => {
    const { event, sequence } = await parkOne('via-cli');
    const port = await freePort();
    await gateway.app.listen(port, '127.0.0.1');
    const run = async (key: string, url = `http://127.0.0.1:${port}`) => {
      const lines: string[] = [];
      const config = loadDeadLettersConfig({ NODE_ENV: 'test', SHELFWATCH_GATEWAY_URL: url, ADMIN_API_KEY: key });
      const refused = await deadLetters({ action: 'list', consumer: 'ranking-tracking', limit: 100 }, config, (line) =>
        lines.push(line),
      ).catch((error: unknown) => error);
      const missing = await deadLetters({ action: 'replay', sequence: 999_999 }, config, () => undefined).catch(
        (error: unknown) => error,
      );
      return { lines, refused, missing };
    };
    const ok = await run(ADMIN_KEY);
    expect(ok.refused).toBeUndefined();
    expect(ok.lines.map((line) => JSON.parse(line) as unknown)).toContainEqual(
      expect.objectContaining({ sequence, eventId: event.id }),
    );
    expect(String(ok.missing)).toMatch(/^DeadLettersRequestError: not found: dead letter 999999 not found$/);
    expect(String((await run(tenantKey)).refused)).toMatch(/^DeadLettersRequestError: .*\(403\): check ADMIN_API_KEY$/);
    expect(String((await run('wrong-key')).refused)).toMatch(
      /^DeadLettersRequestError: .*\(401\): check ADMIN_API_KEY$/,
    );
    const down = await run(ADMIN_KEY, `http://127.0.0.1:${await freePort()}`);
    expect(String(down.refused)).toMatch(
      /^DeadLettersRequestError: cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+: /,
    );
    expect(String(down.refused)).not.toContain('\n');
  });

  it('has a real service replay its own dead letter: the messaging library answers for every consumer', async () => {
    const { js, topology } = environment.nats;
    const report = buildEvent(
      'retention.purge.completed',
      {
        sweepId: randomUUID(),
        dataKind: 'crawl_runs',
        deleted: 0,
        service: 'crawler',
        tenants: [],
        batches: 0,
        partitionsDropped: 0,
      },
      anOrigin(),
      { id: randomUUID(), occurredAt: new Date('2026-11-22T10:00:00Z') },
    );
    const subject = topology.subject(report.type);
    const headers = natsHeaders();
    headers.set(DEAD_LETTER_HEADERS.consumer, 'retention-retention');
    headers.set(DEAD_LETTER_HEADERS.subject, subject);
    headers.set(DEAD_LETTER_HEADERS.deliveries, '8');
    const ack = await js.publish(topology.deadLetterSubject('retention-retention', subject), JSON.stringify(report), {
      headers,
    });
    const replay = await admin('POST', `/v1/admin/dead-letters/${ack.seq}/replay`);
    expect(replay).toMatchObject({
      status: 200,
      body: { sequence: ack.seq, consumer: 'retention-retention', eventId: report.id, outcome: 'handled' },
    });
    expect((await parked()).map((msg) => msg.seq)).not.toContain(ack.seq);
  });
});
