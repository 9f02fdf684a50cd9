import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ALERTING_RPC, RankingProductView, WebhookCreated } from '@shelfwatch/contracts';
import { RpcClient, consumersFor } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually, untilOutboxDrained } from '@shelfwatch/testing';
import { groundTruth, startSimulator } from '../../../tools/marketplace-sim/src';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../../crawler/src/app.module';
import { loadCrawlerConfig } from '../../crawler/src/crawler.config';
import { crawlerPersistence } from '../../crawler/src/crawler.persistence';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../src/webhooks/signature';
import { alertEvents, undercutRules } from './alerting.fixtures';
import { TestReceiver, startReceiver } from './webhook-receiver';

const SEED = 21;
const T0 = new Date('2026-11-22T05:00:00Z');
const KEYWORD = 'standing desk';

/**
 * The simulator, crawler, ranking and alerting on the real Postgres and NATS: a competitor's price drops
 * below the tenant's on the marketplace, and the tenant's receiver gets exactly one signed alert.
 */
describe('pipeline: a competitor undercuts on the marketplace, the tenant is told once', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let environment: TestEnvironment;
  const services: ServiceUnderTest[] = [];
  let rpc: RpcClient;
  let receiver: TestReceiver;
  let rankingOrm: MikroORM;
  let alertingOrm: MikroORM;
  const tenantId = randomUUID();
  let keywordId = '';
  let webhook: WebhookCreated;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: SEED });
    sim.control.setClock({ now: T0.toISOString() });
    receiver = await startReceiver();
    environment = await createTestEnvironment([crawlerPersistence, rankingPersistence, alertingPersistence]);
    const env = {
      ...environment.env,
      NAVER_API_BASE_URL: sim.url,
      NAVER_CLIENT_ID: 'client',
      NAVER_CLIENT_SECRET: 'secret',
      CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
      // One attempt: the crawl the outage fails ends failed instead of being retried.
      CRAWL_RETRY_MAX_ATTEMPTS: '1',
      ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true',
      ALERTING_DELIVERY_POLL_MS: '50',
    };
    services.push(await bootService('crawler', loadCrawlerConfig(env), (c, l) => CrawlerAppModule.forConfig(c, l)));
    const ranking = await bootService('ranking', loadRankingConfig(env), (c, l) => RankingAppModule.forConfig(c, l));
    services.push(ranking);
    rankingOrm = ranking.app.get(MikroORM);
    const alerting = await bootService('alerting', loadAlertingConfig(env), (c, l) =>
      AlertingAppModule.forConfig(c, l),
    );
    services.push(alerting);
    alertingOrm = alerting.app.get(MikroORM);
    rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
  });

  afterAll(async () => {
    for (const service of services) {
      await service.close();
    }
    await environment?.cleanup();
    await sim?.close();
    await receiver?.close();
  });

  /**
   * Requests a crawl of the keyword and waits until the alerting has taken in all it caused and published what it
   * decided, so that the alert stream may be read for "exactly one" and "nothing more":
   * - completed: the alerting evaluated it (its shelf row names the crawl), and its outbox is drained;
   * - failed: the ranking recorded the failure and published whatever it decided, the alerting's consumer of
   *   ranking events has nothing pending or unacknowledged, and the alerting's outbox is drained.
   */
  async function crawl(): Promise<string> {
    const { crawlId } = await eventually(
      () => rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId }),
      10_000,
      100,
    );
    const status = await eventually(
      async () => {
        const run = await rpc.request<{ status: string }>('crawler.crawl.get', { tenantId, crawlId });
        expect(['completed', 'failed']).toContain(run.status);
        return run.status;
      },
      30_000,
      100,
    );
    if (status === 'completed') {
      await eventually(async () => {
        const rows = await alertingOrm.em
          .fork()
          .execute('select 1 from alerting.keyword_shelves where crawl_id = ?', [crawlId]);
        expect(rows).toHaveLength(1);
      }, 20_000);
    } else {
      await eventually(async () => {
        const rows = await rankingOrm.em
          .fork()
          .execute('select 1 from ranking.keyword_crawl_outcomes where crawl_id = ?', [crawlId]);
        expect(rows).toHaveLength(1);
      }, 20_000);
      await untilOutboxDrained(rankingOrm, 'ranking');
      await untilAlertingTookInRankingEvents();
    }
    await untilOutboxDrained(alertingOrm, 'alerting');
    return status;
  }

  /** Every ranking event in its stream was delivered to the alerting and acknowledged (handled and committed). */
  async function untilAlertingTookInRankingEvents(): Promise<void> {
    const [consumer] = consumersFor('alerting', ['ranking.recorded']);
    if (!consumer) {
      throw new Error('the alerting consumes no ranking events');
    }
    const stream = environment.nats.topology.streamName(consumer.stream);
    await eventually(async () => {
      const info = await environment.nats.jsm.consumers.info(stream, consumer.durable);
      expect({ pending: info.num_pending, unacknowledged: info.num_ack_pending }).toEqual({
        pending: 0,
        unacknowledged: 0,
      });
    }, 20_000);
  }

  const count = async (type: 'alert.raised' | 'alert.resolved'): Promise<number> =>
    (await alertEvents(environment, tenantId, type)).length;

  it('raises one signed alert for the undercut, nothing more while it lasts or when a crawl fails, and resolves it', async () => {
    // My product sits on page 1 at exactly the cheapest competitor's price: no undercut yet.
    const shelf = groundTruth(SEED, KEYWORD, T0).slice(0, 100);
    const [mine, competitor] = shelf.filter((item) => item.lprice > 0).slice(4, 6);
    const myPrice = Math.min(
      ...shelf.filter((i) => i.lprice > 0 && i.productId !== mine?.productId).map((i) => i.lprice),
    );
    await rpc.request(ALERTING_RPC.rulesPut, undercutRules(tenantId));
    webhook = await rpc.request<WebhookCreated>(ALERTING_RPC.webhookCreate, { tenantId, url: receiver.url });
    const product = await rpc.request<RankingProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: mine?.productId,
      name: mine?.title,
      price: myPrice,
      keywords: [KEYWORD],
    });
    keywordId = product.keywords[0]?.keywordId ?? '';
    // On the shelf my product is listed at that price too: the observed price is what the rule compares.
    sim.control.setPrice({ productId: mine?.productId, price: myPrice });

    expect(await crawl()).toBe('completed');
    expect(await count('alert.raised')).toBe(0);

    // The marketplace: a competitor drops 20 % below my price.
    sim.control.setPrice({ productId: competitor?.productId, price: Math.floor(myPrice * 0.8) });
    expect(await crawl()).toBe('completed');
    const raisedEvents = await alertEvents(environment, tenantId, 'alert.raised');
    expect(raisedEvents).toHaveLength(1);
    const [raised] = raisedEvents;
    expect(raised?.data).toMatchObject({
      alertType: 'price_undercut',
      productId: product.id,
      keywordId,
      details: {
        myPrice,
        priceSource: 'observed',
        competitorPrice: Math.floor(myPrice * 0.8),
        competitorExternalId: competitor?.productId,
      },
    });
    const [request] = await eventually(() => {
      expect(receiver.requests).toHaveLength(1);
      return receiver.requests;
    });
    const signature = {
      signature: String(request?.headers[SIGNATURE_HEADER.toLowerCase()]),
      timestamp: String(request?.headers[TIMESTAMP_HEADER.toLowerCase()]),
    };
    expect(verifySignature(webhook.secret ?? '', signature, request?.body ?? '', Math.floor(Date.now() / 1_000))).toBe(
      true,
    );

    // The same condition on the next crawl, within the cool-down: nothing.
    expect(await crawl()).toBe('completed');
    expect(await count('alert.raised')).toBe(1);
    // The competitor raises its price again but the marketplace is down: a failed crawl changes nothing.
    sim.control.setPrice({ productId: competitor?.productId, price: null });
    sim.control.setFaults({ outage: true });
    expect(await crawl()).toBe('failed');
    expect([await count('alert.raised'), await count('alert.resolved'), receiver.requests.length]).toEqual([1, 0, 1]);

    // The marketplace is back: the condition has cleared, the alert resolves.
    sim.control.setFaults({ outage: false });
    expect(await crawl()).toBe('completed');
    const resolvedEvents = await alertEvents(environment, tenantId, 'alert.resolved');
    expect(resolvedEvents).toHaveLength(1);
    const [resolved] = resolvedEvents;
    expect(resolved?.data).toMatchObject({ alertId: raised?.data.alertId, reason: 'condition_cleared' });
    expect(await count('alert.raised')).toBe(1);
    await eventually(() => expect(receiver.requests).toHaveLength(2));
  });
});
