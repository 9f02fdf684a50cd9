import { STREAMS } from '@shelfwatch/contracts';
import { RpcClient, consumersFor, provisionConsumer } from '@shelfwatch/messaging';
import { CheckedRpcClient, aKeywordAddedEvent, anOrigin, eventually, pause } from '@shelfwatch/testing';
import { startSimulator } from '../../../tools/marketplace-sim/src';
import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';
import { BACKPRESSURE_METRICS } from '../src/crawls/downstream-backpressure';

const MAX_PENDING = 20;

/**
 * Ranking's consumer of the crawl stream declared and read by nobody: once more than CRAWL_BACKPRESSURE_MAX_PENDING
 * messages wait in it, a requested crawl stays requested; once the backlog is gone, it runs.
 */
describe('crawler back-pressure: crawls wait while ranking is behind', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let booted: BootedService<CrawlerConfig>;
  let rpc: RpcClient;
  const origin = anOrigin();
  const keyword = aKeywordAddedEvent({ keyword: 'wireless earbuds' }, origin);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7 });
    booted = await bootInTestEnvironment(
      crawlerPersistence,
      loadCrawlerConfig,
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
      () => ({
        NAVER_API_BASE_URL: sim.url,
        NAVER_CLIENT_ID: 'id',
        NAVER_CLIENT_SECRET: 'secret',
        CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
        CRAWL_MAX_PAGES: '1',
        CRAWL_BACKPRESSURE_MAX_PENDING: String(MAX_PENDING),
        CRAWL_BACKPRESSURE_POLL_MS: '200',
      }),
    );
    const { nats } = booted.environment;
    rpc = new CheckedRpcClient(nats.nc, nats.topology);
    await nats.js.publish(nats.topology.subject(keyword.type), JSON.stringify(keyword), { msgID: keyword.id });
  });

  afterAll(async () => {
    await booted?.stop();
    await sim?.close();
  });

  /** The value of one sample of the crawler's metrics, 0 when absent. */
  async function sample(series: string): Promise<number> {
    const metrics = (await booted.sut.get('/metrics')).body;
    const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  const status = async (crawlId: string): Promise<string> =>
    (await rpc.request<{ status: string }>('crawler.crawl.get', { tenantId: origin.tenantId, crawlId })).status;

  it('claims no crawl while the backlog exceeds the maximum, stays ready, and runs it once the backlog is gone', async () => {
    const { nats } = booted.environment;
    const [rankingCrawl] = consumersFor('ranking', ['crawl.completed', 'crawl.failed']);
    if (!rankingCrawl) {
      throw new Error('ranking consumes the crawl stream');
    }
    await provisionConsumer(nats.jsm, nats.topology, rankingCrawl);
    for (let i = 0; i <= MAX_PENDING; i++) {
      await nats.js.publish(nats.topology.subject('crawl.completed'), '{}');
    }
    await eventually(async () => expect(await sample(BACKPRESSURE_METRICS.paused)).toBe(1));
    expect(await sample(`${BACKPRESSURE_METRICS.pending}{consumer="ranking-crawl"}`)).toBe(MAX_PENDING + 1);
    await expectHealthyProbes(booted.sut);

    // The keyword reaches the crawler's schedule asynchronously; the request is accepted, and waits.
    const { crawlId } = await eventually(
      () =>
        rpc.request<{ crawlId: string }>('crawler.crawl.request', {
          tenantId: origin.tenantId,
          keywordId: keyword.data.keywordId,
        }),
      10_000,
      100,
    );
    await pause(2_000);
    expect(await status(crawlId)).toBe('requested');

    await nats.jsm.streams.purge(nats.topology.streamName(STREAMS.CRAWL));
    await eventually(async () => expect(await status(crawlId)).toBe('completed'), 20_000, 100);
    expect(await sample(BACKPRESSURE_METRICS.paused)).toBe(0);
  });
});
