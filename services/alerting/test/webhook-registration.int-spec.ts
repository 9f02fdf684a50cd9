import { randomUUID } from 'node:crypto';
import { Page, WebhookCreated, WebhookView } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { AlertingConfig, loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';
import { tableResolver } from './alerting.fixtures';

/** Registration under the default configuration (loopback refused), answered over request/reply as the gateway sees it. */
describe('webhook registration', () => {
  let booted: BootedService<AlertingConfig>;
  let rpc: RpcClient;
  const tenantId = randomUUID();
  const dns = new Map<string, string[]>([
    ['hooks.partner.example', ['93.184.216.34']],
    ['intranet.partner.example', ['192.168.10.20']],
    ['sneaky.partner.example', ['93.184.216.34', '10.0.0.8']],
  ]);

  beforeAll(async () => {
    booted = await bootInTestEnvironment(alertingPersistence, loadAlertingConfig, (config, logger) =>
      AlertingAppModule.forConfig(config, logger, { resolver: tableResolver(dns) }),
    );
    rpc = new CheckedRpcClient(booted.environment.nats.nc, booted.environment.nats.topology);
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it.each([
    ['http://127.0.0.1', 'loopback_address'],
    ['http://[::1]', 'loopback_address'],
    ['http://169.254.169.254', 'cloud_metadata_address'],
    ['http://10.0.0.1', 'private_address'],
    ['http://2130706433', 'loopback_address'],
    ['http://0x7f.1', 'loopback_address'],
    ['http://[::ffff:169.254.169.254]/latest', 'cloud_metadata_address'],
    ['http://[fe80::1]', 'link_local_address'],
    ['http://224.0.0.1', 'multicast_address'],
    ['http://localhost:3003', 'loopback_address'],
    ['http://intranet.partner.example/hook', 'private_address'],
    ['http://sneaky.partner.example/hook', 'private_address'],
    ['http://unknown.partner.example/hook', 'unresolvable_host'],
    ['ftp://hooks.partner.example/', 'scheme_not_allowed'],
    ['http://[::7f00:1]/hook', 'loopback_address'],
    ['http://[::a00:1]/hook', 'private_address'],
    ['http://[64:ff9b::a00:1]/hook', 'reserved_address'],
    ['http://hooks.partner.example:6379/', 'port_not_allowed'],
  ])('refuses %s as invalid, naming %s', async (url, reason) => {
    const refusal = await rpc.request('alerting.webhook.create', { tenantId, url }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'invalid', message: expect.stringContaining(reason) as unknown });
  });

  it('does not answer what a refused name resolves to', async () => {
    const refusal = await rpc
      .request('alerting.webhook.create', { tenantId, url: 'http://sneaky.partner.example/hook' })
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      code: 'invalid',
      message:
        'webhook URL refused: private_address (sneaky.partner.example resolves to a private or reserved address)',
    });
  });

  it('stores nothing for a refused URL, registers a public one, and keeps webhooks to their tenant', async () => {
    const created = await rpc.request<WebhookCreated>('alerting.webhook.create', {
      tenantId,
      url: 'http://hooks.partner.example/shelfwatch',
      events: ['alert.raised'],
      description: 'ERP',
    });
    expect(created).toMatchObject({
      url: 'http://hooks.partner.example/shelfwatch',
      events: ['alert.raised'],
      digest: false,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const mine = await rpc.request<Page<WebhookView>>('alerting.webhook.list', { tenantId });
    expect(mine).toMatchObject({ total: 1, nextCursor: null });
    expect(mine.items[0]).not.toHaveProperty('secret');
    const other = randomUUID();
    expect(await rpc.request<Page<WebhookView>>('alerting.webhook.list', { tenantId: other })).toMatchObject({
      total: 0,
    });
    await expect(
      rpc.request('alerting.delivery.list', { tenantId: other, webhookId: created.id }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      rpc.request('alerting.webhook.delete', { tenantId: other, webhookId: created.id }),
    ).rejects.toMatchObject({ code: 'not_found' });

    await rpc.request('alerting.webhook.delete', { tenantId, webhookId: created.id });
    expect(await rpc.request<Page<WebhookView>>('alerting.webhook.list', { tenantId })).toMatchObject({ total: 0 });
  });

  it('registers at most ALERTING_MAX_WEBHOOKS_PER_TENANT (10) when registrations race, refusing the rest', async () => {
    const racer = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: 14 }, (_, n) =>
        rpc
          .request<WebhookCreated>('alerting.webhook.create', {
            tenantId: racer,
            url: `https://hooks.partner.example/${n}`,
          })
          .then(
            () => 'created',
            (error: unknown) => (error as { code?: string }).code,
          ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === 'limit_exceeded')).toHaveLength(4);
    expect(await rpc.request<Page<WebhookView>>('alerting.webhook.list', { tenantId: racer })).toMatchObject({
      total: 10,
    });
  });
});
