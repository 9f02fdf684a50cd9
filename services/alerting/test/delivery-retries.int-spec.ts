import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { AlertView, DeliveryView, EventEnvelope, Page, STREAMS, WebhookCreated } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually, readStream } from '@shelfwatch/testing';
import {
  BootedService,
  ServiceUnderTest,
  bootInTestEnvironment,
  bootService,
  migrateInto,
} from '../../../libs/platform/test/service-harness';
import { loadRetentionConfig } from '../../retention/src/retention.config';
import { retentionPersistence } from '../../retention/src/retention.persistence';
import { RetentionAppModule } from '../../retention/src/app.module';
import { AlertingConfig, loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';
import { aStanding, alertEvents, publish, recordedData, undercutRules } from './alerting.fixtures';
import { deadUrl } from './webhook-receiver';

const RETRY_BASE_MS = 600;

/** A receiver that is down, and the retention purge, against the real Postgres and NATS. */
describe('webhook retries and retention', () => {
  let booted: BootedService<AlertingConfig>;
  // Alerting checks every purge request against the policy retention holds when it runs.
  let retention: ServiceUnderTest;
  let rpc: RpcClient;
  let orm: MikroORM;
  const tenantId = randomUUID();

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      alertingPersistence,
      loadAlertingConfig,
      (config, logger) => AlertingAppModule.forConfig(config, logger),
      () => ({
        ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true',
        ALERTING_DELIVERY_POLL_MS: '50',
        ALERTING_WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
        ALERTING_WEBHOOK_MAX_ATTEMPTS: '3',
      }),
    );
    rpc = new CheckedRpcClient(booted.environment.nats.nc, booted.environment.nats.topology);
    orm = booted.sut.app.get(MikroORM);
    await migrateInto(booted.environment.db, retentionPersistence);
    const retentionConfig = loadRetentionConfig({
      ...booted.environment.env,
      RETENTION_SWEEP_ENABLED: 'false',
      RETENTION_ALERTS_DAYS: '1',
      RETENTION_DELIVERY_LOGS_DAYS: '1',
    });
    retention = await bootService('retention', retentionConfig, (config, logger) =>
      RetentionAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await retention?.close();
    await booted?.stop();
  });

  const raisedCount = async (): Promise<number> =>
    (await alertEvents(booted.environment, tenantId, 'alert.raised')).length;

  it('retries a receiver that is down with growing back-off, marks the delivery failed, and keeps processing events', async () => {
    await rpc.request('alerting.rules.put', undercutRules(tenantId));
    const webhook = await rpc.request<WebhookCreated>('alerting.webhook.create', { tenantId, url: await deadUrl() });
    await publish(
      booted.environment,
      tenantId,
      'ranking.recorded',
      recordedData(randomUUID(), [aStanding(randomUUID(), 10_000, 9_000)], new Date()),
    );
    await eventually(async () => expect(await raisedCount()).toBe(1));

    // Another crawl is evaluated while the first delivery is still being retried.
    await publish(
      booted.environment,
      tenantId,
      'ranking.recorded',
      recordedData(randomUUID(), [aStanding(randomUUID(), 10_000, 9_000)], new Date()),
    );
    await eventually(async () => expect(await raisedCount()).toBe(2));
    const meanwhile = await rpc.request<Page<DeliveryView>>('alerting.delivery.list', {
      tenantId,
      webhookId: webhook.id,
    });
    expect(meanwhile.items.map((d) => d.status).filter((s) => s === 'failed')).toEqual([]);

    const log = await eventually(
      async () => {
        const page = await rpc.request<Page<DeliveryView>>('alerting.delivery.list', {
          tenantId,
          webhookId: webhook.id,
        });
        expect(page.items.map((d) => d.status)).toEqual(['failed', 'failed']);
        return page;
      },
      20_000,
      100,
    );
    for (const delivery of log.items) {
      // Refused connections, until the endpoint's breaker opens and spares further connection attempts.
      const errors = delivery.attempts.map((a) => a.error);
      expect(errors).toHaveLength(3);
      expect(errors[0]).toBe('ECONNREFUSED');
      expect(errors.every((e) => e === 'ECONNREFUSED' || e === 'breaker_open')).toBe(true);
      const times = delivery.attempts.map((a) => Date.parse(a.at));
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
      expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS);
      expect(gaps[1]).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS);
      expect(delivery.completedAt).not.toBeNull();
    }

    // The endpoint's breaker counts under the shared `webhook` label: no series names the webhook.
    const metrics = (await booted.sut.get('/metrics')).body;
    expect(metrics).toMatch(/shelfwatch_breaker_calls_total\{breaker="webhook",outcome="failure"\} [1-9]/);
    expect(metrics).toMatch(/^shelfwatch_webhook_breakers_open \d+$/m);
    expect(metrics).not.toContain(webhook.id);
  });

  it('purges resolved alerts and finished deliveries older than the cut-off, never open alerts, and reports it', async () => {
    // Another tenant without webhooks: its alerts add no deliveries while the purge runs.
    const tenant = randomUUID();
    await rpc.request('alerting.rules.put', undercutRules(tenant));
    const keywordId = randomUUID();
    const [cleared, still] = [randomUUID(), randomUUID()];
    const first = [aStanding(cleared, 10_000, 9_000), aStanding(still, 20_000, 9_000)];
    const second = [aStanding(cleared, 10_000, 10_000), aStanding(still, 20_000, 9_000)];
    await publish(booted.environment, tenant, 'ranking.recorded', recordedData(keywordId, first, new Date()));
    // Evaluated in order: a crawl older than the last evaluated one of its keyword would be ignored.
    await eventually(async () => expect(await alertEvents(booted.environment, tenant, 'alert.raised')).toHaveLength(2));
    await publish(
      booted.environment,
      tenant,
      'ranking.recorded',
      recordedData(keywordId, second, new Date(Date.now() + 1_000)),
    );
    await eventually(async () =>
      expect(await alertEvents(booted.environment, tenant, 'alert.resolved')).toHaveLength(1),
    );

    // What is finished ages past the one-day policy; the cut-off is the one a sweep would send.
    const em = orm.em.fork();
    await em.execute(
      `update alerting.alerts set resolved_at = resolved_at - interval '2 days' where status = 'resolved'`,
    );
    await em.execute(`update alerting.deliveries set completed_at = completed_at - interval '2 days'`);
    const cutoff = new Date(Date.now() - 86_400_000 - 60_000).toISOString();
    for (const dataKind of ['alerts', 'delivery_logs'] as const) {
      await publish(booted.environment, tenant, 'retention.purge.requested', {
        sweepId: randomUUID(),
        dataKind,
        cutoff,
        tenantCutoffs: [],
        batchSize: 1,
        pauseMs: 0,
      });
    }
    const reports = await eventually(async () => {
      const { nats } = booted.environment;
      const messages = await readStream(
        nats,
        nats.topology.streamName(STREAMS.RETENTION),
        nats.topology.subject('retention.purge.completed'),
      );
      const events = messages.map((m) => m.json<EventEnvelope<'retention.purge.completed'>>());
      expect(events).toHaveLength(2);
      // The two purges run concurrently, so their reports arrive in either order.
      return events.sort((a, b) => a.data.dataKind.localeCompare(b.data.dataKind));
    });
    // The resolved alert of `tenant`; the two failed deliveries of the first test.
    expect(reports.map((r) => [r.data.dataKind, r.data.service, r.data.deleted, r.data.batches])).toEqual([
      ['alerts', 'alerting', 1, 1],
      ['delivery_logs', 'alerting', 2, 2],
    ]);
    expect(reports.find((r) => r.data.dataKind === 'alerts')?.data.tenants).toEqual([{ tenantId: tenant, deleted: 1 }]);
    const left = await rpc.request<Page<AlertView>>('alerting.alert.list', { tenantId: tenant });
    expect(left.items.map((a) => [a.productId, a.status])).toEqual([[still, 'raised']]);
    const [events] = await orm.em.fork().execute<{ n: string }[]>('select count(*) as n from alerting.alert_events');
    expect(Number(events?.n)).toBe(3);
  });
});
