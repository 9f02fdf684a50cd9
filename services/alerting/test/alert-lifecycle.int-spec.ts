import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { AlertView, DeliveryView, EventEnvelope, Page, WebhookCreated } from '@shelfwatch/contracts';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually, untilOutboxDrained } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { AlertingConfig, loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';
import { generateSigningSecret } from '../src/webhooks/secret-box';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../src/webhooks/signature';
import { aStanding, alertEvents, publish, recordedData, tableResolver, undercutRules } from './alerting.fixtures';
import { TestReceiver, startReceiver } from './webhook-receiver';

/** Alerting alone on the real Postgres and NATS, fed `ranking.recorded` events, delivering to a local receiver. */
describe('alert lifecycle and signed deliveries', () => {
  let booted: BootedService<AlertingConfig>;
  let rpc: RpcClient;
  let receiver: TestReceiver;
  const dns = new Map<string, string[]>();
  const tenantId = randomUUID();
  const P1 = randomUUID();
  const K1 = randomUUID();
  const t0 = Date.now();
  const at = (seconds: number): Date => new Date(t0 + seconds * 1_000);

  beforeAll(async () => {
    receiver = await startReceiver();
    booted = await bootInTestEnvironment(
      alertingPersistence,
      loadAlertingConfig,
      (config, logger) => AlertingAppModule.forConfig(config, logger, { resolver: tableResolver(dns) }),
      () => ({ ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true', ALERTING_DELIVERY_POLL_MS: '50' }),
    );
    rpc = new CheckedRpcClient(booted.environment.nats.nc, booted.environment.nats.topology);
  });

  afterAll(async () => {
    await booted?.stop();
    await receiver?.close();
  });

  /**
   * Publishes a crawl's ranking and waits until the alerting has evaluated it and published what it decided, so
   * that the alert stream may be read for "exactly one" and "nothing more".
   */
  async function crawl(tenant: string, keywordId: string, standings: ReturnType<typeof aStanding>[], when: Date) {
    await publish(booted.environment, tenant, 'ranking.recorded', recordedData(keywordId, standings, when));
    const orm = booted.sut.app.get(MikroORM);
    await eventually(async () => {
      const rows = await orm.em
        .fork()
        .execute('select 1 from alerting.keyword_shelves where keyword_id = ? and recorded_at = ?', [keywordId, when]);
      expect(rows).toHaveLength(1);
    });
    await untilOutboxDrained(orm, 'alerting');
  }

  const deliveries = (webhookId: string, tenant = tenantId) =>
    rpc.request<Page<DeliveryView>>('alerting.delivery.list', { tenantId: tenant, webhookId });

  it('raises one alert and one signed delivery on an undercut, nothing within the cool-down, and resolves when it clears', async () => {
    await rpc.request('alerting.rules.put', undercutRules(tenantId));
    const webhook = await rpc.request<WebhookCreated>('alerting.webhook.create', { tenantId, url: receiver.url });
    expect(webhook.secret).toMatch(/^whsec_/);

    await crawl(tenantId, K1, [aStanding(P1, 10_000, 9_000)], at(1));
    const raisedEvents = await alertEvents(booted.environment, tenantId, 'alert.raised');
    expect(raisedEvents).toHaveLength(1);
    const [raised] = raisedEvents;
    expect(raised?.data).toMatchObject({ alertType: 'price_undercut', productId: P1, keywordId: K1 });

    const [request] = await eventually(() => {
      expect(receiver.requests).toHaveLength(1);
      return receiver.requests;
    });
    const body = request?.body ?? '';
    const signature = {
      signature: String(request?.headers[SIGNATURE_HEADER.toLowerCase()]),
      timestamp: String(request?.headers[TIMESTAMP_HEADER.toLowerCase()]),
    };
    expect(verifySignature(webhook.secret ?? '', signature, body, Math.floor(Date.now() / 1_000))).toBe(true);
    expect(verifySignature('not the secret at all', signature, body, Math.floor(Date.now() / 1_000))).toBe(false);
    // The Standard Webhooks signature of the same delivery, as a receiver checks it with the library.
    const delivered = Object.fromEntries(Object.entries(request?.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(webhook.secret ?? '').verify(body, delivered)).toMatchObject({ type: 'alert.raised' });
    expect(() => new Webhook(generateSigningSecret()).verify(body, delivered)).toThrow(WebhookVerificationError);
    expect(JSON.parse(body)).toMatchObject({
      id: raised?.id,
      type: 'alert.raised',
      data: { alertId: raised?.data.alertId },
    });

    // The same condition again: de-duplicated, nothing raised.
    await crawl(tenantId, K1, [aStanding(P1, 10_000, 8_500)], at(2));
    expect(await alertEvents(booted.environment, tenantId, 'alert.raised')).toHaveLength(1);
    // The condition clears: the alert resolves, and the receiver hears of it.
    await crawl(tenantId, K1, [aStanding(P1, 10_000, 10_000)], at(3));
    const resolvedEvents = await alertEvents(booted.environment, tenantId, 'alert.resolved');
    expect(resolvedEvents).toHaveLength(1);
    const [resolved] = resolvedEvents;
    expect(resolved?.data).toMatchObject({ alertId: raised?.data.alertId, reason: 'condition_cleared' });
    // It comes back within the cool-down: held back.
    await crawl(tenantId, K1, [aStanding(P1, 10_000, 9_000)], at(4));
    expect(await alertEvents(booted.environment, tenantId, 'alert.raised')).toHaveLength(1);

    const log = await eventually(async () => {
      const page = await deliveries(webhook.id);
      expect(page.items.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
      return page;
    });
    expect(log.total).toBe(2);
    expect(log.items[0]?.attempts).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);
    expect(receiver.requests).toHaveLength(2);

    const alerts = await rpc.request<Page<AlertView>>('alerting.alert.list', { tenantId, status: 'resolved' });
    expect(alerts.total).toBe(1);
    expect(alerts.items[0]?.history.map((h) => h.type)).toEqual(['alert.raised', 'alert.resolved']);
  });

  it('acknowledges an open alert once, refuses a resolved one, and answers not_found to another tenant', async () => {
    const K2 = randomUUID();
    await crawl(tenantId, K2, [aStanding(P1, 10_000, 9_000)], at(5));
    const open = await eventually(async () => {
      const page = await rpc.request<Page<AlertView>>('alerting.alert.list', {
        tenantId,
        status: 'raised',
        keywordId: K2,
      });
      expect(page.items).toHaveLength(1);
      return page.items[0];
    });
    const alertId = open?.id ?? '';
    const other = randomUUID();
    await expect(rpc.request('alerting.alert.get', { tenantId: other, alertId })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(rpc.request('alerting.alert.ack', { tenantId: other, alertId })).rejects.toMatchObject({
      code: 'not_found',
    });

    const acked = await rpc.request<AlertView>('alerting.alert.ack', { tenantId, alertId });
    expect(acked).toMatchObject({
      status: 'acknowledged',
      history: [{ type: 'alert.raised' }, { type: 'alert.acknowledged' }],
    });
    await rpc.request('alerting.alert.ack', { tenantId, alertId });
    // Both acknowledgements are committed once answered; once the outbox is drained, a second event would show.
    await untilOutboxDrained(booted.sut.app.get(MikroORM), 'alerting');
    expect(await alertEvents(booted.environment, tenantId, 'alert.acknowledged')).toHaveLength(1);

    // An older crawl (the condition had not yet appeared then) changes nothing: one redelivered as it was recorded,
    // one recorded only now (a crawl.completed redelivered late, after the crawl of at(5)), one from before events
    // carried crawledAt.
    const orm = booted.sut.app.get(MikroORM);
    for (const data of [
      recordedData(K2, [aStanding(P1, 10_000, 10_000)], at(4.5)),
      recordedData(K2, [aStanding(P1, 10_000, 10_000)], at(60), at(4.6)),
      recordedData(K2, [aStanding(P1, 10_000, 10_000)], at(4.7), undefined),
    ]) {
      const stale = await publish(booted.environment, tenantId, 'ranking.recorded', data);
      await eventually(async () => {
        const rows = await orm.em.fork().execute('select 1 from alerting.inbox where event_id = ?', [stale.id]);
        expect(rows).toHaveLength(1);
      });
      expect(await rpc.request<AlertView>('alerting.alert.get', { tenantId, alertId })).toMatchObject({
        status: 'acknowledged',
      });
    }

    const [resolved] = (await rpc.request<Page<AlertView>>('alerting.alert.list', { tenantId, status: 'resolved' }))
      .items;
    const refusal = await rpc
      .request('alerting.alert.ack', { tenantId, alertId: resolved?.id })
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RpcRemoteError);
    expect(refusal).toMatchObject({ code: 'conflict' });

    // The product stops being tracked: its open (acknowledged) alert resolves.
    await publish(booted.environment, tenantId, 'tracking.product.removed', { productId: P1 });
    await eventually(async () => {
      const events = await alertEvents(booted.environment, tenantId, 'alert.resolved');
      expect(events.map((e: EventEnvelope<'alert.resolved'>) => e.data.reason)).toContain('product_removed');
    });
  });

  it('resolves the alerts of a keyword the product no longer tracks, and only those', async () => {
    const tenant = randomUUID();
    const product = randomUUID();
    const [unlinked, kept] = [randomUUID(), randomUUID()];
    await rpc.request('alerting.rules.put', undercutRules(tenant));
    await crawl(tenant, unlinked, [aStanding(product, 10_000, 9_000)], at(5.2));
    await crawl(tenant, kept, [aStanding(product, 10_000, 9_000)], at(5.4));
    await publish(booted.environment, tenant, 'tracking.keyword.removed', { productId: product, keywordId: unlinked });
    const [resolved] = await eventually(async () => {
      const events = await alertEvents(booted.environment, tenant, 'alert.resolved');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(resolved?.data).toMatchObject({ keywordId: unlinked, productId: product, reason: 'product_removed' });
    const open = await rpc.request<Page<AlertView>>('alerting.alert.list', { tenantId: tenant, status: 'raised' });
    expect(open.items.map((a) => a.keywordId)).toEqual([kept]);
  });

  it('delivers a digest, one message per crawl, to a digest webhook', async () => {
    const tenant = randomUUID();
    await rpc.request('alerting.rules.put', undercutRules(tenant));
    const webhook = await rpc.request<WebhookCreated>('alerting.webhook.create', {
      tenantId: tenant,
      url: receiver.url,
      secret: 'a-secret-the-tenant-chose',
      digest: true,
    });
    expect(webhook.secret).toBeUndefined();
    await crawl(
      tenant,
      randomUUID(),
      [aStanding(randomUUID(), 5_000, 4_000), aStanding(randomUUID(), 6_000, 4_000)],
      at(6),
    );
    const [delivery] = await eventually(async () => {
      const page = await deliveries(webhook.id, tenant);
      expect(page.items.map((d) => d.status)).toEqual(['succeeded']);
      return page.items;
    });
    expect(delivery?.eventTypes).toEqual(['alert.raised', 'alert.raised']);
    const sent = receiver.requests.find((r) => r.headers['shelfwatch-delivery'] === delivery?.id);
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({
      type: 'alert.digest',
      events: [{ type: 'alert.raised' }, { type: 'alert.raised' }],
    });
  });

  it('does not follow a redirect: the delivery fails naming it, the redirect target is never asked', async () => {
    const tenant = randomUUID();
    await rpc.request('alerting.rules.put', undercutRules(tenant));
    const webhook = await rpc.request<WebhookCreated>('alerting.webhook.create', {
      tenantId: tenant,
      url: receiver.url,
    });
    receiver.status = 302;
    try {
      await crawl(tenant, randomUUID(), [aStanding(randomUUID(), 5_000, 4_000)], at(6.5));
      const [delivery] = await eventually(async () => {
        const page = await deliveries(webhook.id, tenant);
        expect(page.items[0]?.status).toBe('failed');
        return page.items;
      });
      expect(delivery?.attempts).toEqual([
        expect.objectContaining({ statusCode: 302, error: 'redirect_not_followed_302' }),
      ]);
    } finally {
      receiver.status = 200;
    }
  });

  it('refuses at delivery a name that now resolves to a private address, and never connects to it', async () => {
    const tenant = randomUUID();
    await rpc.request('alerting.rules.put', undercutRules(tenant));
    dns.set('rebind.test.example', ['127.0.0.1']);
    const url = receiver.url.replace('127.0.0.1', 'rebind.test.example');
    const webhook = await rpc.request<WebhookCreated>('alerting.webhook.create', { tenantId: tenant, url });
    const keywordId = randomUUID();
    await crawl(tenant, keywordId, [aStanding(randomUUID(), 5_000, 4_000)], at(7));
    await eventually(async () => expect((await deliveries(webhook.id, tenant)).items[0]?.status).toBe('succeeded'));
    const before = receiver.requests.length;

    dns.set('rebind.test.example', ['10.0.0.5']);
    await crawl(tenant, keywordId, [aStanding(randomUUID(), 5_000, 4_000)], at(8));
    const [refused] = await eventually(async () => {
      const page = await deliveries(webhook.id, tenant);
      expect(page.items[0]?.status).toBe('failed');
      return page.items;
    });
    expect(refused?.attempts).toEqual([
      expect.objectContaining({ statusCode: null, error: 'refused: private_address' }),
    ]);
    expect(receiver.requests).toHaveLength(before);
  });
});
