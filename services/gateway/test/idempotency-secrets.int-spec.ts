import { MikroORM } from '@mikro-orm/postgresql';
import { ALERTING_RPC, RANKING_RPC } from '@shelfwatch/contracts';
import { rpcSubject } from '@shelfwatch/messaging';
import { eventually } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { GatewayAppModule } from '../src/app.module';
import { GatewayConfig, loadGatewayConfig } from '../src/gateway.config';
import { gatewayPersistence } from '../src/gateway.persistence';
import { requestHash } from '../src/idempotency/idempotency.store';
import { ADMIN_KEY, Api } from './gateway.e2e-harness';

const problemType = (slug: string): string => `https://shelfwatch.dev/problems/${slug}`;

/** Idempotency records as an attacker with database read access, a crash and a slow service see them. */
describe('idempotency records: secrets, crashes and timeouts', () => {
  let booted: BootedService<GatewayConfig>;
  let api: Api;
  let tenant: { id: string; apiKey: string };

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      gatewayPersistence,
      loadGatewayConfig,
      (config, logger) => GatewayAppModule.forConfig(config, logger),
      () => ({ ADMIN_API_KEY: ADMIN_KEY, DOWNSTREAM_TIMEOUT_MS: '300', IDEMPOTENCY_IN_FLIGHT_SECONDS: '1' }),
    );
    api = new Api(booted.sut);
    tenant = await api.tenant('acme');
  });

  afterAll(async () => {
    await booted?.stop();
  });

  async function storedRecords(): Promise<string> {
    const rows = await booted.sut.app
      .get(MikroORM)
      .em.fork()
      .execute<{ row: string }[]>('select row_to_json(k)::text as row from gateway.idempotency_keys k');
    return rows.map(({ row }) => row).join('\n');
  }

  it('never stores a new API key, and answers its replay with secret-shown-once instead of the key', async () => {
    const headers = { 'idempotency-key': 'new-ci-key' };
    const first = await api.call<{ id: string; apiKey: string }>('POST', '/v1/api-keys', {
      key: tenant.apiKey,
      body: { label: 'ci' },
      headers,
    });
    expect(first.status).toBe(201);
    const records = await storedRecords();
    expect(records).toContain(first.body.id);
    expect(records).not.toContain(first.body.apiKey.slice('sw_test_'.length + 12));

    const replay = await api.call('POST', '/v1/api-keys', { key: tenant.apiKey, body: { label: 'ci' }, headers });
    expect(replay).toMatchObject({ status: 409, body: { type: problemType('secret-shown-once') } });
    expect(replay.text).toContain(first.body.id);
    expect(replay.text).not.toContain(first.body.apiKey);
    const keys = await api.call<{ total: number }>('GET', '/v1/api-keys', { key: tenant.apiKey });
    expect(keys.body.total).toBe(2);
  });

  it('never stores the first key of a tenant created by the operator with an Idempotency-Key', async () => {
    const created = await api.call<{ apiKey: string }>('POST', '/v1/tenants', {
      key: ADMIN_KEY,
      body: { name: 'globex' },
      headers: { 'idempotency-key': 'tenant-globex' },
    });
    expect(created.status).toBe(201);
    expect(await storedRecords()).not.toContain(created.body.apiKey.slice('sw_test_'.length + 12));
  });

  it('never stores a generated webhook signing secret', async () => {
    const secret = 'whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const { nc, topology } = booted.environment.nats;
    const alerting = nc.subscribe(rpcSubject(topology, ALERTING_RPC.webhookCreate), {
      callback: (_error, msg) => {
        const data = { id: '01a203f9-0000-7000-8000-00000000cafe', url: 'https://hooks.example.com/x', secret };
        msg.respond(JSON.stringify({ ok: true, data }));
      },
    });
    try {
      const headers = { 'idempotency-key': 'hook-1' };
      const body = { url: 'https://hooks.example.com/x' };
      const created = await api.call('POST', '/v1/webhooks', { key: tenant.apiKey, body, headers });
      expect(created.text).toContain(secret);
      expect(await storedRecords()).not.toContain(secret);
      const replay = await api.call('POST', '/v1/webhooks', { key: tenant.apiKey, body, headers });
      expect(replay).toMatchObject({ status: 409, body: { type: problemType('secret-shown-once') } });
    } finally {
      alerting.unsubscribe();
    }
  });

  it('lets a retry run once the claim left by a crashed gateway has expired', async () => {
    const body = { label: 'after-crash' };
    const orm = booted.sut.app.get(MikroORM);
    // What a gateway that died mid-request leaves behind: a claim with no answer.
    await orm.em
      .fork()
      .execute(
        'insert into gateway.idempotency_keys (tenant_id, key, request_hash, created_at) values (?, ?, ?, now())',
        [tenant.id, 'crashed', requestHash('POST', '/v1/api-keys', { body })],
      );
    const call = () =>
      api.call('POST', '/v1/api-keys', { key: tenant.apiKey, body, headers: { 'idempotency-key': 'crashed' } });
    const blocked = await call();
    expect(blocked).toMatchObject({ status: 409, body: { type: problemType('idempotency-in-progress') } });
    await eventually(async () => expect((await call()).status).toBe(201), 10_000);
  });

  it('does not run a timed-out request again when the client retries with its key', async () => {
    const { nc, topology } = booted.environment.nats;
    let received = 0;
    const silent = nc.subscribe(rpcSubject(topology, RANKING_RPC.exclusionAdd), {
      callback: () => {
        received += 1;
      },
    });
    try {
      const call = () =>
        api.call('POST', '/v1/exclusions', {
          key: tenant.apiKey,
          body: { kind: 'mall', value: 'slow-mall' },
          headers: { 'idempotency-key': 'slow-1' },
        });
      expect((await call()).status).toBe(504);
      const retry = await call();
      expect(retry).toMatchObject({ status: 504, body: { type: problemType('service-timeout') } });
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(received).toBe(1);
    } finally {
      silent.unsubscribe();
    }
  });
});
