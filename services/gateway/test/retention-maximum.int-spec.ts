import { randomUUID } from 'node:crypto';
import { nanos } from '@nats-io/transport-node';
import { Client } from 'pg';
import { RETENTION_RPC, STREAMS } from '@shelfwatch/contracts';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { CheckedRpcClient } from '@shelfwatch/testing';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { RetentionAppModule } from '../../retention/src/app.module';
import { loadRetentionConfig } from '../../retention/src/retention.config';
import { retentionPersistence } from '../../retention/src/retention.persistence';
import { SweepScheduler } from '../../retention/src/sweeps/sweep.scheduler';
import { GatewayAppModule } from '../src/app.module';
import { loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { ADMIN_KEY, Api } from './gateway.e2e-harness';

const DAY_MS = 86_400_000;
const MAX_DAYS = 400;

/** A tenant trying to make the platform keep its data (and every stream) longer than the platform maximum. */
describe('retention maximum: no policy, and no stream, beyond RETENTION_MAX_DAYS', () => {
  let environment: TestEnvironment;
  let gateway: ServiceUnderTest;
  let retention: ServiceUnderTest;
  let api: Api;
  let rpc: RpcClient;
  let key: string;
  let tenantId: string;

  beforeAll(async () => {
    environment = await createTestEnvironment([gatewayPersistence, retentionPersistence]);
    const env = { ...environment.env, RETENTION_MAX_DAYS: String(MAX_DAYS) };
    gateway = await bootService('gateway', loadGatewayConfig({ ...env, ADMIN_API_KEY: ADMIN_KEY }), (config, logger) =>
      GatewayAppModule.forConfig(config, logger),
    );
    retention = await bootService(
      'retention',
      loadRetentionConfig({ ...env, RETENTION_SWEEP_ENABLED: 'false' }),
      (config, logger) => RetentionAppModule.forConfig(config, logger),
    );
    api = new Api(gateway);
    rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
    ({ id: tenantId, apiKey: key } = await api.tenant('hoarder'));
  });

  afterAll(async () => {
    await Promise.allSettled([gateway?.close(), retention?.close()]);
    await environment?.cleanup();
  });

  const alertDays = async (): Promise<number | undefined> => {
    const policy = await api.call<{ policies: { dataKind: string; days: number }[] }>('GET', '/v1/retention-policy', {
      key,
    });
    return policy.body.policies.find((entry) => entry.dataKind === 'alerts')?.days;
  };

  it('refuses a policy one day beyond the maximum with a 400 naming the maximum, and changes nothing', async () => {
    const before = await alertDays();

    const refused = await api.call<{ status: number; errors: { in: string; field: string; message: string }[] }>(
      'PUT',
      '/v1/retention-policy',
      { key, body: { policies: [{ dataKind: 'alerts', days: MAX_DAYS + 1 }] } },
    );

    expect(refused.status).toBe(400);
    // Refused by the gateway itself (its body schema names the field), before any service is asked.
    expect(refused.body.errors).toEqual([
      {
        in: 'body',
        field: 'policies.0.days',
        message: `must be at most ${MAX_DAYS} days (the platform maximum retention)`,
      },
    ]);
    expect(await alertDays()).toBe(before);
    const atMaximum = await api.call('PUT', '/v1/retention-policy', {
      key,
      body: { policies: [{ dataKind: 'alerts', days: MAX_DAYS }] },
    });
    expect(atMaximum.status).toBe(200);
  });

  it('refuses it at the retention service too, for a caller that skips the gateway', async () => {
    const error = await rpc
      .request(RETENTION_RPC.policyPut, { tenantId, policies: [{ dataKind: 'ranking_rows', days: 3_650 }] })
      .then(
        () => new Error('expected a refusal'),
        (caught: unknown) => caught,
      );

    expect(error).toBeInstanceOf(RpcRemoteError);
    expect(error).toMatchObject({ code: 'invalid', message: expect.stringContaining(`at most ${MAX_DAYS} days`) });
  });

  it('never sets a stream max age beyond the maximum, even for a policy stored before the maximum', async () => {
    const sql = new Client({ connectionString: environment.db.adminUrl });
    await sql.connect();
    try {
      await sql.query(
        `insert into retention.policies (tenant_id, data_kind, days, updated_at) values ($1, 'ranking_rows', 3650, now())`,
        [randomUUID()],
      );
    } finally {
      await sql.end();
    }

    expect(await retention.app.get(SweepScheduler).runDue()).not.toBeNull();

    const { jsm, topology } = environment.nats;
    const maxAgeDays = async (stream: keyof typeof STREAMS): Promise<number> =>
      (await jsm.streams.info(topology.streamName(STREAMS[stream]))).config.max_age / nanos(DAY_MS);
    expect(await maxAgeDays('RANKING')).toBe(MAX_DAYS);
    expect(await maxAgeDays('ALERT')).toBe(MAX_DAYS);
    expect(await maxAgeDays('CRAWL')).toBe(30);
  });
});
