import { randomUUID } from 'node:crypto';
import {
  DataKind,
  EventEnvelope,
  RETENTION_RPC,
  STREAMS,
  SYSTEM_TENANT_ID,
  buildEvent,
  EventData,
} from '@shelfwatch/contracts';
import { eventually, readStream } from '@shelfwatch/testing';
import { ServiceUnderTest } from '../../../libs/platform/test/service-harness';
import { RetentionPlatform, bootRetentionPlatform } from './retention.fixtures';

const DAY_MS = 86_400_000;
const KINDS: DataKind[] = ['ranking_rows', 'crawl_runs', 'alerts', 'delivery_logs'];

/** Each owner's table of each kind, with the column a purge compares with the cut-off. */
const TABLES = [
  { table: 'ranking.ranking_rows', time: 'crawled_at' },
  { table: 'crawler.crawl_runs', time: 'requested_at' },
  { table: 'alerting.alerts', time: 'resolved_at' },
  { table: 'reporting.recorded_crawls', time: 'recorded_at' },
  { table: 'reporting.crawls', time: 'changed_at' },
  { table: 'reporting.alerts', time: 'resolved_at' },
] as const;

/** The owners that consume purge requests, with the kinds each refuses on its own. */
const OWNERS = {
  ranking: ['ranking_rows'],
  crawler: ['crawl_runs'],
  alerting: ['alerts', 'delivery_logs'],
  reporting: ['ranking_rows', 'crawl_runs', 'alerts'],
} as const satisfies Record<string, readonly DataKind[]>;
type Owner = keyof typeof OWNERS;

/** Purge requests published straight on JetStream, bypassing retention: what any process on NATS could do. */
describe('purge guard: owners refuse purges that would erase what must be kept', () => {
  let platform: RetentionPlatform;
  /** Keeps everything for the default 30 days (180 for alerts). */
  const tenant = randomUUID();
  /** Raises every kind to 200 days during the tests. */
  const raiser = randomUUID();

  beforeAll(async () => {
    platform = await bootRetentionPlatform({}, { everyOwner: true });
    for (const tenantId of [tenant, raiser]) {
      await seed(tenantId, 40 * DAY_MS);
      await seed(tenantId, 200 * DAY_MS - 2 * DAY_MS);
      await seed(tenantId, 3_600_000);
    }
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  /** Five rows of the tenant `ageMs` old in every owner's tables of every kind. */
  async function seed(tenantId: string, ageMs: number): Promise<void> {
    const at = new Date(Date.now() - ageMs);
    const { sql } = platform;
    const rows = 'generate_series(1, 5)';
    await sql.query(
      `insert into ranking.ranking_rows
         (tenant_id, keyword_id, crawl_id, crawled_at, rank, external_id, title, mall, price, brand, excluded)
       select $1::uuid, gen_random_uuid(), gen_random_uuid(), $2, g, 'ext-' || g, 'Item', 'Mall', 1000, 'Brand', false
         from ${rows} g`,
      [tenantId, at],
    );
    await sql.query(
      `insert into crawler.crawl_runs (crawl_id, tenant_id, keyword_id, trigger, status, requested_at, correlation_id)
       select gen_random_uuid(), $1::uuid, gen_random_uuid(), 'schedule', 'completed', $2, gen_random_uuid() from ${rows}`,
      [tenantId, at],
    );
    await sql.query(
      `insert into alerting.alerts (alert_id, tenant_id, rule_id, alert_type, product_id, keyword_id, crawl_id, status,
                                    message, details, raised_at, crawled_at, resolved_at)
       select gen_random_uuid(), $1::uuid, gen_random_uuid(), 'undercut', gen_random_uuid(), gen_random_uuid(),
              gen_random_uuid(), 'resolved', 'm', '{}'::jsonb, $2, $2, $2 from ${rows}`,
      [tenantId, at],
    );
    await sql.query(
      `insert into reporting.recorded_crawls (crawl_id, tenant_id, keyword_id, recorded_at)
       select gen_random_uuid(), $1::uuid, gen_random_uuid(), $2 from ${rows}`,
      [tenantId, at],
    );
    await sql.query(
      `insert into reporting.crawls (crawl_id, tenant_id, keyword_id, stage, changed_at)
       select gen_random_uuid(), $1::uuid, gen_random_uuid(), 3, $2 from ${rows}`,
      [tenantId, at],
    );
    await sql.query(
      `insert into reporting.alerts (alert_id, tenant_id, alert_type, resolved_at)
       select gen_random_uuid(), $1::uuid, 'undercut', $2 from ${rows}`,
      [tenantId, at],
    );
  }

  /** Rows per table of a tenant, split into older than 30 days and younger. */
  async function rowsOf(tenantId: string): Promise<Record<string, { old: number; young: number }>> {
    const counts: Record<string, { old: number; young: number }> = {};
    for (const { table, time } of TABLES) {
      const { rows } = await platform.sql.query<{ old: number; young: number }>(
        `select count(*) filter (where ${time} < now() - interval '30 days')::int as old,
                count(*) filter (where ${time} >= now() - interval '30 days')::int as young
           from ${table} where tenant_id = $1`,
        [tenantId],
      );
      counts[table] = rows[0] ?? { old: -1, young: -1 };
    }
    return counts;
  }

  function service(owner: Owner): ServiceUnderTest {
    const found = platform[owner];
    if (!found) {
      throw new Error(`${owner} is not booted`);
    }
    return found;
  }

  /** The refusals each owner counted, per kind (`shelfwatch_retention_purges_refused_total`). */
  async function refusals(): Promise<Record<string, number>> {
    const metrics = (await service('ranking').get('/metrics')).body;
    const counted: Record<string, number> = {};
    for (const [owner, kinds] of Object.entries(OWNERS)) {
      for (const kind of kinds) {
        const line = new RegExp(
          `^shelfwatch_retention_purges_refused_total\\{service="${owner}",data_kind="${kind}"\\} (\\d+)$`,
          'm',
        ).exec(metrics);
        counted[`${owner}/${kind}`] = Number(line?.[1] ?? 0);
      }
    }
    return counted;
  }

  /** Publishes a purge request directly on JetStream; answers its stream sequence. */
  async function publishPurge(
    data: Omit<EventData<'retention.purge.requested'>, 'sweepId' | 'batchSize' | 'pauseMs'>,
    sweepId: string,
  ): Promise<number> {
    const { js, topology } = platform.environment.nats;
    const origin = { tenantId: SYSTEM_TENANT_ID, correlationId: sweepId, causationId: null };
    const event = buildEvent('retention.purge.requested', { ...data, sweepId, batchSize: 100, pauseMs: 0 }, origin, {
      id: randomUUID(),
      occurredAt: new Date(),
    });
    const ack = await js.publish(topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    return ack.seq;
  }

  /** Waits until every owner has acknowledged the retention stream up to `seq`. */
  async function acknowledgedByEveryOwner(seq: number): Promise<void> {
    const { jsm, topology } = platform.environment.nats;
    await eventually(async () => {
      for (const owner of Object.keys(OWNERS)) {
        const info = await jsm.consumers.info(topology.streamName(STREAMS.RETENTION), `${owner}-retention`);
        expect({ owner, acked: info.ack_floor.stream_seq >= seq }).toEqual({ owner, acked: true });
      }
    }, 60_000);
  }

  /** The purge reports owners sent for a sweep. */
  async function reportsOf(sweepId: string): Promise<EventEnvelope<'retention.purge.completed'>[]> {
    const { nats } = platform.environment;
    const messages = await readStream(
      nats,
      nats.topology.streamName(STREAMS.RETENTION),
      nats.topology.subject('retention.purge.completed'),
    );
    return messages
      .map((message) => message.json<EventEnvelope<'retention.purge.completed'>>())
      .filter((event) => event.data.sweepId === sweepId);
  }

  /** Each counter `before` moved on by one. */
  function eachOneMore(before: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.entries(before).map(([key, count]) => [key, count + 1]));
  }

  it('refuses a forged purge with a cut-off of now at every owner, keeps every row, and counts the refusal', async () => {
    const before = { tenant: await rowsOf(tenant), raiser: await rowsOf(raiser) };
    const refusedBefore = await refusals();
    const sweepId = randomUUID();
    let last = 0;
    for (const dataKind of KINDS) {
      last = await publishPurge({ dataKind, cutoff: new Date().toISOString(), tenantCutoffs: [] }, sweepId);
    }

    await acknowledgedByEveryOwner(last);

    expect({ tenant: await rowsOf(tenant), raiser: await rowsOf(raiser) }).toEqual(before);
    expect(await refusals()).toEqual(eachOneMore(refusedBefore));
    expect(await reportsOf(sweepId)).toEqual([]);
  });

  it('refuses a purge that was valid when issued once the tenant raised its retention before the owner ran it', async () => {
    // Issued under the defaults: 30 days (180 for alerts), no policy of the raiser's own.
    const issued = new Date();
    const requests = KINDS.map((dataKind) => ({
      dataKind,
      cutoff: new Date(issued.getTime() - (dataKind === 'alerts' ? 180 : 30) * DAY_MS).toISOString(),
      tenantCutoffs: [],
    }));
    // While the requests wait in the stream, the raiser keeps everything 200 days.
    await platform.rpc.request(RETENTION_RPC.policyPut, {
      tenantId: raiser,
      policies: KINDS.map((dataKind) => ({ dataKind, days: 200 })),
    });
    const before = await rowsOf(raiser);
    const refusedBefore = await refusals();
    const sweepId = randomUUID();
    let last = 0;
    for (const request of requests) {
      last = await publishPurge(request, sweepId);
    }

    await acknowledgedByEveryOwner(last);

    expect(before['ranking.ranking_rows']?.old).toBe(10);
    expect(await rowsOf(raiser)).toEqual(before);
    expect(await refusals()).toEqual(eachOneMore(refusedBefore));
    expect(await reportsOf(sweepId)).toEqual([]);
  });

  it('still purges exactly what the current policy lets go', async () => {
    const now = new Date();
    const refusedBefore = await refusals();
    const sweepId = randomUUID();
    let last = 0;
    for (const dataKind of ['ranking_rows', 'crawl_runs'] as const) {
      last = await publishPurge(
        {
          dataKind,
          cutoff: new Date(now.getTime() - 30 * DAY_MS).toISOString(),
          tenantCutoffs: [{ tenantId: raiser, cutoff: new Date(now.getTime() - 200 * DAY_MS).toISOString() }],
        },
        sweepId,
      );
    }

    await acknowledgedByEveryOwner(last);

    const kept = await rowsOf(tenant);
    // The tenant's rows older than 30 days are gone from every table of both kinds; everything younger stays.
    for (const table of [
      'ranking.ranking_rows',
      'crawler.crawl_runs',
      'reporting.recorded_crawls',
      'reporting.crawls',
    ]) {
      expect({ table, ...kept[table] }).toEqual({ table, old: 0, young: 5 });
    }
    // The raiser's rows are all inside its 200 days: none goes.
    expect((await rowsOf(raiser))['ranking.ranking_rows']).toEqual({ old: 10, young: 5 });
    expect(await refusals()).toEqual(refusedBefore);
    await eventually(async () =>
      expect((await reportsOf(sweepId)).map((report) => [report.data.service, report.data.deleted]).sort()).toEqual([
        ['crawler', 10],
        ['ranking', 10],
      ]),
    );
  });
});
