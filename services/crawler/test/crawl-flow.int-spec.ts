import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { AnyEvent, STREAMS, buildEvent, parseEvent } from '@shelfwatch/contracts';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually, readStream, untilOutboxDrained } from '@shelfwatch/testing';
import Fastify, { FastifyInstance } from 'fastify';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';

/**
 * A stand-in for the Naver Shopping API: 30 results per keyword, failing on demand. `hold()` keeps every answer
 * back until the returned release is called, so a test can look at a crawl while it is provably still running.
 */
async function startShelf(): Promise<{
  server: FastifyInstance;
  url: string;
  mode: { fail: boolean };
  hold: () => () => void;
  /** Requests waiting behind `hold()`. */
  held: () => number;
}> {
  const mode = { fail: false };
  let gate: Promise<void> | null = null;
  let held = 0;
  const server = Fastify();
  server.get('/v1/search/shop.json', async (request, reply) => {
    if (gate) {
      held += 1;
      await gate;
      held -= 1;
    }
    if (mode.fail) {
      return reply.code(500).send({ errorMessage: 'System Error', errorCode: 'SE99' });
    }
    const { start = '1', display = '10' } = request.query as Record<string, string>;
    const first = Number(start);
    const items = Array.from({ length: Math.max(0, Math.min(Number(display), 31 - first)) }, (_, i) => ({
      title: `<b>Earbuds</b> ${first + i}`,
      link: 'https://shop.example/p',
      image: 'https://shop.example/i.jpg',
      lprice: String(10_000 + (first + i) * 100),
      hprice: '',
      mallName: `mall-${first + i}`,
      productId: `ext-${first + i}`,
      productType: '2',
      brand: 'B',
      maker: 'M',
      category1: 'Digital',
      category2: 'Audio',
      category3: '',
      category4: '',
    }));
    return { lastBuildDate: 'Sun, 22 Nov 2026 10:00:00 +0900', total: 30, start: first, display: items.length, items };
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  const hold = (): (() => void) => {
    let release = (): void => undefined;
    gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      gate = null;
      release();
    };
  };
  return { server, url, mode, hold, held: () => held };
}

describe('crawler: keywords in, crawl events out', () => {
  let shelf: Awaited<ReturnType<typeof startShelf>>;
  let booted: BootedService<CrawlerConfig>;
  let rpc: RpcClient;
  const tenantId = randomUUID();
  const productId = randomUUID();
  const keywordId = randomUUID();

  beforeAll(async () => {
    shelf = await startShelf();
    booted = await bootInTestEnvironment(
      crawlerPersistence,
      loadCrawlerConfig,
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
      () => ({
        NAVER_API_BASE_URL: shelf.url,
        NAVER_CLIENT_ID: 'id',
        NAVER_CLIENT_SECRET: 'secret',
        CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
        CRAWL_PAGE_SIZE: '10',
        CRAWL_RETRY_BASE_MS: '200',
        CRAWL_RETRY_MAX_MS: '400',
        // Failed attempts go on until the test has seen one and heals the shelf, however long that takes on a
        // loaded machine: neither the attempts nor an opened breaker (30 s) may run out first.
        CRAWL_RETRY_MAX_ATTEMPTS: '50',
        NAVER_BREAKER_VOLUME_THRESHOLD: '10000',
      }),
    );
    const { nats } = booted.environment;
    rpc = new CheckedRpcClient(nats.nc, nats.topology);
    const origin = { tenantId, correlationId: randomUUID(), causationId: null };
    const stamp = () => ({ id: randomUUID(), occurredAt: new Date() });
    for (const event of [
      buildEvent(
        'tracking.product.added',
        { productId, marketplace: 'naver', externalId: 'ext-12', name: 'Mine', price: 11_000 },
        origin,
        stamp(),
      ),
      buildEvent(
        'tracking.keyword.added',
        { productId, keywordId, keyword: 'earbuds', marketplace: 'naver', intervalMinutes: 60 },
        origin,
        stamp(),
      ),
    ]) {
      await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID: event.id });
    }
  });

  afterAll(async () => {
    await booted?.stop();
    await shelf?.server.close();
  });

  async function crawlEvents(crawlId: string): Promise<AnyEvent[]> {
    const { nats } = booted.environment;
    const stored = await readStream(nats, nats.topology.streamName(STREAMS.CRAWL));
    return stored
      .map((msg) => parseEvent(msg.json()))
      .filter((event) => 'crawlId' in event.data && event.data.crawlId === crawlId);
  }

  it('runs one crawl of a keyword at a time: a second request is told it is already running', async () => {
    const release = shelf.hold();
    const request = () => rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId });
    // The keyword reaches the crawler's schedule asynchronously.
    const first = await eventually(request, 10_000, 100);
    // The crawl is running (its first page is asked for and held) while the second request arrives.
    await eventually(() => expect(shelf.held()).toBe(1));
    const second = await request().catch((error: unknown) => error);
    release();
    expect(second).toBeInstanceOf(RpcRemoteError);
    expect(second).toMatchObject({ code: 'already_running' });
    await eventually(async () => {
      const types = (await crawlEvents(first.crawlId)).map((event) => event.type);
      expect(types).toEqual(['crawl.requested', 'crawl.started', 'crawl.completed']);
    });
    const completed = (await crawlEvents(first.crawlId)).find((event) => event.type === 'crawl.completed');
    // The tracked product (ext-12) is on page 2: paging stopped there instead of reading all 3 pages.
    expect(completed?.data).toMatchObject({ pagesFetched: 2, keyword: 'earbuds', marketplace: 'naver' });
    const items = completed?.type === 'crawl.completed' ? completed.data.items : [];
    expect(items.map((item) => item.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(items[0]).toMatchObject({ title: 'Earbuds 1', price: 10_100, externalId: 'ext-1', productType: '2' });
    const run = await rpc.request('crawler.crawl.get', { tenantId, crawlId: first.crawlId });
    expect(run).toMatchObject({ status: 'completed', pagesFetched: 2, itemCount: 20 });
  });

  it('answers not_found for another tenant’s keyword', async () => {
    const error = await rpc
      .request('crawler.crawl.request', { tenantId: randomUUID(), keywordId })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_found' });
  });

  it('reports a failed attempt as crawl.failed without items, and retries the same crawl until it completes', async () => {
    shelf.mode.fail = true;
    const { crawlId } = await eventually(
      () => rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId }),
      10_000,
      100,
    );
    const failed = await eventually(async () => {
      const found = (await crawlEvents(crawlId)).find((event) => event.type === 'crawl.failed');
      expect(found).toBeDefined();
      return found;
    }, 20_000);
    expect(failed?.data).toMatchObject({ code: 'upstream_error', retryable: true, attempt: 1, willRetry: true });
    expect(failed?.data).not.toHaveProperty('items');
    shelf.mode.fail = false;
    await eventually(async () => {
      const run = await rpc.request<{ status: string; attempts: number }>('crawler.crawl.get', { tenantId, crawlId });
      expect(run.status).toBe('completed');
      expect(run.attempts).toBeGreaterThan(1);
    }, 20_000);
    // Every event of the crawl is in the stream only once the relay has published what the run committed.
    await untilOutboxDrained(booted.sut.app.get(MikroORM), 'crawler');
    const events = await crawlEvents(crawlId);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('crawl.requested');
    expect(types.at(-1)).toBe('crawl.completed');
    expect(types.filter((type) => type === 'crawl.requested')).toHaveLength(1);
    // How many attempts failed before the shelf healed depends on timing; each one is reported, numbered in order.
    const failures = events.flatMap((event) => (event.type === 'crawl.failed' ? [event.data] : []));
    expect(failures.map((data) => data.attempt)).toEqual(failures.map((_, i) => i + 1));
    expect(failures.every((data) => data.willRetry)).toBe(true);
    const run = await rpc.request<{ attempts: number }>('crawler.crawl.get', { tenantId, crawlId });
    expect(run.attempts).toBe(failures.length + 1);
  });
});
