import { randomUUID } from 'node:crypto';
import { buildEvent } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually } from '@shelfwatch/testing';
import { type RunningSimulator, startSimulator } from '../../../tools/marketplace-sim/src';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../../crawler/src/app.module';
import { loadCrawlerConfig } from '../../crawler/src/crawler.config';
import { crawlerPersistence } from '../../crawler/src/crawler.persistence';
import { HealthAppModule } from '../src/app.module';
import { HealthDetails } from '../src/health-details/health-details.controller';
import { loadHealthConfig } from '../src/health.config';
import { healthPersistence } from '../src/health.persistence';

type Component = HealthDetails['components'][number];

describe('health: a component per marketplace, and honest crawl freshness', () => {
  let environment: TestEnvironment;
  let sim: RunningSimulator;
  let health: ServiceUnderTest;
  let crawler: ServiceUnderTest | undefined;
  let rpc: RpcClient;
  const tenantId = randomUUID();
  const keywordId = randomUUID();

  beforeAll(async () => {
    environment = await createTestEnvironment([healthPersistence, crawlerPersistence]);
    sim = await startSimulator({ port: 0, seed: 15 });
    crawler = await bootService(
      'crawler',
      loadCrawlerConfig({
        ...environment.env,
        NAVER_API_BASE_URL: sim.url,
        NAVER_CLIENT_ID: 'id',
        NAVER_CLIENT_SECRET: 'secret',
        NAVER_REQUEST_TIMEOUT_MS: '1000',
        // Small enough that one failing crawl (three attempts) opens the breaker, for long enough to be seen.
        NAVER_BREAKER_VOLUME_THRESHOLD: '3',
        NAVER_BREAKER_RESET_MS: '10000',
        CRAWL_MAX_PAGES: '1',
        CRAWL_PAGE_SIZE: '10',
        CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
        // Short retry waits: the crawl an outage fails is retried within seconds once it is over.
        CRAWL_RETRY_BASE_MS: '500',
        CRAWL_RETRY_MAX_MS: '2000',
      }),
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
    );
    health = await bootService(
      'health',
      loadHealthConfig({ ...environment.env, HEALTH_EXPECTED_SERVICES: 'crawler,health' }),
      (config, logger) => HealthAppModule.forConfig(config, logger),
    );
    const { nats } = environment;
    rpc = new CheckedRpcClient(nats.nc, nats.topology);
    const origin = { tenantId, correlationId: randomUUID(), causationId: null };
    const productId = randomUUID();
    for (const event of [
      buildEvent(
        'tracking.product.added',
        { productId, marketplace: 'naver', externalId: 'ext-1', name: 'Mine', price: 11_000 },
        origin,
        { id: randomUUID(), occurredAt: new Date() },
      ),
      buildEvent(
        'tracking.keyword.added',
        { productId, keywordId, keyword: '무선 이어폰', marketplace: 'naver', intervalMinutes: 60 },
        origin,
        { id: randomUUID(), occurredAt: new Date() },
      ),
    ]) {
      await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([health?.close(), crawler?.close()]);
    await sim?.close();
    await environment?.cleanup();
  });

  async function details(): Promise<{ status: number; body: HealthDetails }> {
    const response = await health.get('/health');
    return { status: response.status, body: JSON.parse(response.body) as HealthDetails };
  }

  function component(body: HealthDetails, name: string): Component | undefined {
    return body.components.find((candidate) => candidate.name === name);
  }

  /** Requests a crawl of the keyword now, retrying while its previous crawl still runs. */
  function requestCrawl(): Promise<{ crawlId: string }> {
    return eventually(
      () => rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId }),
      30_000,
      200,
    );
  }

  /** Crawls the keyword now and waits for the crawl's end. */
  async function crawlOnce(): Promise<string> {
    const { crawlId } = await requestCrawl();
    const run = await eventually(async () => {
      const current = await rpc.request<{ status: string }>('crawler.crawl.get', { tenantId, crawlId });
      expect(['completed', 'failed']).toContain(current.status);
      return current;
    }, 30_000);
    return run.status;
  }

  /** The value of one sample of the crawler's metrics, 0 when absent. */
  async function sample(series: string): Promise<number> {
    const metrics = (await crawler?.get('/metrics'))?.body ?? '';
    const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  async function setOutage(outage: false | 'unavailable'): Promise<void> {
    const response = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outage }),
    });
    expect(response.status).toBe(200);
  }

  it('is unknown before the first crawl, degrades during a marketplace outage, recovers after, and is unknown when the crawler is gone', async () => {
    // 1. Nothing crawled yet: freshness and the marketplace are unknown, and the platform is not called unwell.
    const before = await eventually(async () => {
      const current = await details();
      expect(component(current.body, 'marketplace:naver')?.status).toBe('unknown');
      expect(component(current.body, 'service:crawler')?.status).toBe('up');
      return current;
    }, 15_000);
    expect(component(before.body, 'crawl-freshness')).toMatchObject({
      status: 'unknown',
      message: 'no crawl completed yet',
    });
    expect(before.body.status).toBe('healthy');

    // 2. A crawl completes: the marketplace and freshness are up.
    await crawlOnce();
    await eventually(async () => {
      const { body } = await details();
      expect(component(body, 'marketplace:naver')?.status).toBe('up');
      expect(component(body, 'crawl-freshness')?.status).toBe('up');
    }, 15_000);

    // 3. The marketplace is down: the crawl fails, the breaker opens, the marketplace and the platform are
    //    degraded (200, not 503: a marketplace never makes the platform unhealthy).
    await setOutage('unavailable');
    try {
      // Its crawl is retried while the outage lasts: status names the failed attempts meanwhile.
      await requestCrawl();
      const during = await eventually(async () => {
        const current = await details();
        expect(component(current.body, 'marketplace:naver')?.status).toBe('degraded');
        return current;
      }, 15_000);
      expect(during.status).toBe(200);
      expect(during.body.status).toBe('degraded');
      expect(component(during.body, 'marketplace:naver')?.message).toContain('breaker open');
      expect(component(during.body, 'marketplace:naver')?.message).toMatch(/last error (upstream_error|breaker_open)/);
    } finally {
      await setOutage(false);
    }

    // 4. The marketplace is back: once the breaker lets a trial through, a crawl completes and all is healthy.
    await eventually(
      async () => expect(component((await details()).body, 'marketplace:naver')?.message).not.toContain('breaker'),
      30_000,
      500,
    );
    expect(await crawlOnce()).toBe('completed');
    const after = await eventually(async () => {
      const current = await details();
      expect(component(current.body, 'marketplace:naver')?.status).toBe('up');
      expect(current.body.status).toBe('healthy');
      return current;
    }, 15_000);
    expect(after.status).toBe(200);

    // 5. Metrics of the crawls and the requests they sent, with bounded labels.
    const naver = 'marketplace="naver"';
    // Two crawls completed, and the outage's one too when its retry ran after the outage: one page each.
    const completed = await sample(`shelfwatch_crawls_total{${naver},outcome="completed"}`);
    expect(completed).toBeGreaterThanOrEqual(2);
    const failed =
      (await sample(`shelfwatch_crawls_total{${naver},outcome="upstream_error"}`)) +
      (await sample(`shelfwatch_crawls_total{${naver},outcome="breaker_open"}`));
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(await sample(`shelfwatch_crawl_duration_seconds_count{${naver},outcome="completed"}`)).toBe(completed);
    expect(await sample(`shelfwatch_marketplace_requests_total{${naver},status="2xx"}`)).toBe(completed);
    expect(await sample(`shelfwatch_marketplace_requests_total{${naver},status="5xx"}`)).toBeGreaterThanOrEqual(1);
    const remaining = await sample(`shelfwatch_marketplace_quota_remaining_requests{${naver}}`);
    expect(remaining).toBeGreaterThan(0);
    // Read at boot and every 15 s: the remainder may not show this test's few requests yet.
    expect(await sample(`shelfwatch_marketplace_quota_daily_requests{${naver}}`)).toBeGreaterThanOrEqual(remaining);
    const metrics = (await crawler?.get('/metrics'))?.body ?? '';
    expect(metrics).not.toContain(tenantId);

    // 6. The crawler is gone: the marketplace is unknown (not up, no crash) and named as before.
    await crawler?.close();
    crawler = undefined;
    const gone = await eventually(async () => {
      const current = await details();
      expect(component(current.body, 'marketplace:naver')?.status).toBe('unknown');
      return current;
    }, 15_000);
    expect(component(gone.body, 'marketplace:naver')?.message).toContain('the crawler did not answer');
  }, 180_000);
});
