import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { DeliveryView, Page, WebhookCreated } from '@shelfwatch/contracts';
import { CheckedRpcClient, eventually } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { AlertingConfig, loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';
import { aStanding, alertEvents, publish, recordedData, undercutRules } from './alerting.fixtures';
import { TestReceiver, startReceiver } from './webhook-receiver';

const PRODUCTS = 1_000;

/** The largest crawl the contract allows (1,000 standings) is evaluated in one pass, with one digest. */
describe('evaluating a large crawl', () => {
  let booted: BootedService<AlertingConfig>;
  let receiver: TestReceiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    booted = await bootInTestEnvironment(
      alertingPersistence,
      loadAlertingConfig,
      (config, logger) => AlertingAppModule.forConfig(config, logger),
      () => ({ ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true', ALERTING_DELIVERY_POLL_MS: '50' }),
    );
  });

  afterAll(async () => {
    await booted?.stop();
    await receiver?.close();
  });

  it(`raises ${PRODUCTS} alerts from one crawl in one transaction and sends them as one digest`, async () => {
    const tenantId = randomUUID();
    const rpc = new CheckedRpcClient(booted.environment.nats.nc, booted.environment.nats.topology);
    await rpc.request('alerting.rules.put', undercutRules(tenantId));
    const webhook = await rpc.request<WebhookCreated>('alerting.webhook.create', {
      tenantId,
      url: receiver.url,
      digest: true,
    });
    const keywordId = randomUUID();
    const standings = Array.from({ length: PRODUCTS }, () => aStanding(randomUUID(), 10_000, 9_000));
    await publish(booted.environment, tenantId, 'ranking.recorded', recordedData(keywordId, standings, new Date()));
    const orm = booted.sut.app.get(MikroORM);
    await eventually(
      async () => {
        const [row] = await orm.em
          .fork()
          .execute<{ n: string }[]>('select count(*) as n from alerting.alerts where keyword_id = ?', [keywordId]);
        expect(Number(row?.n)).toBe(PRODUCTS);
      },
      30_000,
      20,
    );
    // One transaction, whatever the machine's speed: rows inserted together carry the same xmin.
    const [transactions] = await orm.em
      .fork()
      .execute<{ n: string }[]>('select count(distinct xmin::text) as n from alerting.alerts where keyword_id = ?', [
        keywordId,
      ]);
    expect(Number(transactions?.n)).toBe(1);
    await eventually(
      async () => expect(await alertEvents(booted.environment, tenantId, 'alert.raised')).toHaveLength(PRODUCTS),
      30_000,
    );
    const page = await eventually(async () => {
      const deliveries = await rpc.request<Page<DeliveryView>>('alerting.delivery.list', {
        tenantId,
        webhookId: webhook.id,
      });
      expect(deliveries.items.map((d) => d.status)).toEqual(['succeeded']);
      return deliveries;
    }, 30_000);
    expect(page.items[0]?.eventIds).toHaveLength(PRODUCTS);
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}')).toMatchObject({ type: 'alert.digest' });
  });
});
