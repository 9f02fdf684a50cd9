import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { EventEnvelope, STREAMS } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { TracingHandle, startTracing } from '@shelfwatch/observability';
import { CheckedRpcClient, eventually, readStream } from '@shelfwatch/testing';
import { groundTruth, startSimulator } from '../../../tools/marketplace-sim/src';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { CrawlerAppModule } from '../src/app.module';
import { loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';

const SEED = 7;
const T0 = new Date('2026-11-22T01:00:00Z');
const T1 = new Date('2026-11-22T03:00:00Z');
const K1 = 'wireless earbuds';
const K2 = 'wireless earbuds pro';

/**
 * Simulator, crawler and ranking on the real Postgres and NATS: a tenant tracks 3 products on 2 keywords;
 * crawls store exactly the simulator's ground truth and `ranking.recorded` carries the right standings.
 */
describe('crawl pipeline: keywords in, honest rankings out', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let environment: TestEnvironment;
  let crawler: ServiceUnderTest;
  let ranking: ServiceUnderTest;
  let rpc: RpcClient;
  let orm: MikroORM;
  const tenantId = randomUUID();
  const keywordIds = new Map<string, string>();
  const own: { externalId: string; price: number; productId: string }[] = [];

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'pipeline-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    sim = await startSimulator({ port: 0, seed: SEED });
    sim.control.setClock({ now: T0.toISOString() });
    environment = await createTestEnvironment([crawlerPersistence, rankingPersistence]);
    const env = {
      ...environment.env,
      NAVER_API_BASE_URL: sim.url,
      NAVER_CLIENT_ID: 'client',
      NAVER_CLIENT_SECRET: 'secret',
      CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
      // Each failure here is asserted as the crawl's outcome; retries have tests of their own.
      CRAWL_RETRY_MAX_ATTEMPTS: '1',
    };
    crawler = await bootService('crawler', loadCrawlerConfig(env), (config, logger) =>
      CrawlerAppModule.forConfig(config, logger),
    );
    ranking = await bootService('ranking', loadRankingConfig(env), (config, logger) =>
      RankingAppModule.forConfig(config, logger),
    );
    rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
    orm = ranking.app.get(MikroORM);
    await trackThreeProducts();
  });

  afterAll(async () => {
    await crawler?.close();
    await ranking?.close();
    await environment?.cleanup();
    await sim?.close();
    await tracing?.shutdown();
  });

  /** Three products present in the first 100 of both keywords at T0, my price just above theirs. */
  async function trackThreeProducts(): Promise<void> {
    const second = new Set(
      groundTruth(SEED, K2, T0)
        .slice(0, 100)
        .map((item) => item.productId),
    );
    const shared = groundTruth(SEED, K1, T0)
      .slice(0, 100)
      .filter((item) => second.has(item.productId) && item.lprice > 0)
      .slice(0, 3);
    expect(shared).toHaveLength(3);
    for (const item of shared) {
      const created = await rpc.request<{ id: string; keywords: { keywordId: string; keyword: string }[] }>(
        'ranking.product.create',
        {
          tenantId,
          marketplace: 'naver',
          externalId: item.productId,
          name: item.title,
          price: item.lprice + 1_000,
          keywords: [K1, K2],
        },
      );
      own.push({ externalId: item.productId, price: item.lprice + 1_000, productId: created.id });
      for (const keyword of created.keywords) {
        keywordIds.set(keyword.keyword, keyword.keywordId);
      }
    }
  }

  function keywordId(text: string): string {
    const id = keywordIds.get(text);
    if (!id) {
      throw new Error(`no keyword ${text}`);
    }
    return id;
  }

  async function crawl(text: string): Promise<string> {
    const request = () =>
      rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId: keywordId(text) });
    return (await eventually(request, 10_000, 100)).crawlId;
  }

  async function recorded(crawlId: string): Promise<EventEnvelope<'ranking.recorded'>> {
    return eventually(async () => {
      const nats = environment.nats;
      const messages = await readStream(
        nats,
        nats.topology.streamName(STREAMS.RANKING),
        nats.topology.subject('ranking.recorded'),
      );
      const found = messages
        .map((m) => m.json<EventEnvelope<'ranking.recorded'>>())
        .find((e) => e.data.crawlId === crawlId);
      if (!found) {
        throw new Error(`no ranking.recorded for ${crawlId}`);
      }
      return found;
    }, 20_000);
  }

  /** The cheapest priced competitor in the crawled part of the truth, own products and exclusions left out. */
  function expectedLowest(truth: ReturnType<typeof groundTruth>, excludedMall: string, excludedId: string): number {
    const mine = new Set(own.map((p) => p.externalId));
    const prices = truth
      .filter(
        (i) =>
          !mine.has(i.productId) &&
          i.lprice > 0 &&
          i.mallName.toLowerCase() !== excludedMall &&
          i.productId !== excludedId,
      )
      .map((i) => i.lprice);
    return Math.min(...prices);
  }

  it('stores exactly the simulator’s shelf and records ranks, changes and the cheapest competitor', async () => {
    const truth = groundTruth(SEED, K1, T0).slice(0, 100);
    const mine = new Set(own.map((p) => p.externalId));
    const cheapest = [...truth]
      .filter((i) => !mine.has(i.productId) && i.lprice > 0)
      .sort((a, b) => a.lprice - b.lprice);
    const [byMall, byId] = cheapest;
    await rpc.request('ranking.exclusion.add', { tenantId, kind: 'mall', value: byMall?.mallName });
    await rpc.request('ranking.exclusion.add', { tenantId, kind: 'product', value: byId?.productId });

    const first = await crawl(K1);
    const event = await recorded(first);
    const rows = await orm.em
      .fork()
      .execute<{ rank: number; external_id: string; price: string | null; mall: string }[]>(
        'select rank, external_id, price, mall from ranking.ranking_rows where crawl_id = ? order by rank',
        [first],
      );
    // Every tracked product is on page 1: one page, 100 rows, equal to the ground truth of that moment.
    // A listing served without a price (lprice "") is stored without one: null, never 0.
    expect(rows.map((r) => [r.rank, r.external_id, r.price === null ? null : Number(r.price), r.mall])).toEqual(
      truth.map((i) => [i.rank, i.productId, i.lprice === 0 ? null : i.lprice, i.mallName]),
    );
    expect(rows.filter((r) => r.price === null).length).toBeGreaterThan(0);
    const lowest = expectedLowest(truth, byMall?.mallName.toLowerCase() ?? '', byId?.productId ?? '');
    for (const product of own) {
      const standing = event.data.standings.find((s) => s.productId === product.productId);
      const onShelf = truth.find((i) => i.productId === product.externalId);
      // On the shelf with a price: my price is the one observed there, not the catalogue's (lprice + 1,000).
      expect(standing).toMatchObject({
        rank: onShelf?.rank,
        previousRank: null,
        change: null,
        myPrice: onShelf?.lprice,
        priceSource: 'observed',
        observedMall: onShelf?.mallName,
        catalogPrice: product.price,
        lowestCompetitorPrice: lowest,
      });
    }
    expect(event.data.entries.filter((e) => e.productId !== null)).toHaveLength(3);

    sim.control.setClock({ now: T1.toISOString() });
    const second = await crawl(K1);
    const later = await recorded(second);
    const truthLater = groundTruth(SEED, K1, T1);
    for (const product of own) {
      const before = truth.find((i) => i.productId === product.externalId)?.rank ?? null;
      const after = truthLater.find((i) => i.productId === product.externalId)?.rank ?? null;
      expect(later.data.standings.find((s) => s.productId === product.productId)).toMatchObject({
        rank: after,
        previousRank: before,
        change: before !== null && after !== null ? before - after : null,
      });
    }
    sim.control.setClock({ now: T0.toISOString() });
  });

  it('records the second keyword with its own shelf, and keeps one trace per crawl across both services', async () => {
    exporter.reset();
    const crawlId = await crawl(K2);
    const event = await recorded(crawlId);
    const truth = groundTruth(SEED, K2, T0);
    for (const product of own) {
      expect(event.data.standings.find((s) => s.productId === product.productId)?.rank).toBe(
        truth.find((i) => i.productId === product.externalId)?.rank,
      );
    }
    await eventually(() => {
      const spans = exporter.getFinishedSpans();
      const pages = spans.filter((s) => s.kind === SpanKind.CLIENT && s.name === 'naver search page');
      const consumed = spans.find((s) => s.kind === SpanKind.CONSUMER && s.name === 'process crawl.completed');
      expect(pages.length).toBeGreaterThan(0);
      expect(consumed).toBeDefined();
      const traceId = consumed?.spanContext().traceId;
      expect(pages.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    });
  });

  it('turns a marketplace outage into crawl.failed without rankings, and recovers', async () => {
    sim.control.setFaults({ outage: true });
    const failedId = await crawl(K2);
    await eventually(async () => {
      const run = await rpc.request<{ status: string; failureCode: string }>('crawler.crawl.get', {
        tenantId,
        crawlId: failedId,
      });
      expect(run).toMatchObject({ status: 'failed' });
      expect(['upstream_error', 'breaker_open', 'timeout']).toContain(run.failureCode);
    }, 30_000);
    const [rows] = await orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from ranking.ranking_rows where crawl_id = ?', [failedId]);
    expect(rows?.count).toBe('0');
    sim.control.reset();
    sim.control.setClock({ now: T0.toISOString() });
    const recovered = await crawl(K2);
    expect((await recorded(recovered)).data.entries.length).toBeGreaterThan(0);
  });

  it('pauses the marketplace when the daily quota is spent (010): crawls fail as quota_exhausted without requests', async () => {
    sim.control.setFaults({ dailyQuota: 0 });
    const spent = await crawl(K1);
    const failure = async (crawlId: string) =>
      eventually(async () => {
        const run = await rpc.request<{ status: string; failureCode: string }>('crawler.crawl.get', {
          tenantId,
          crawlId,
        });
        expect(run.status).toBe('failed');
        return run.failureCode;
      }, 20_000);
    expect(await failure(spent)).toBe('quota_exhausted');
    const requestsBefore = sim.control.stats().total;
    expect(await failure(await crawl(K2))).toBe('quota_exhausted');
    expect(sim.control.stats().total).toBe(requestsBefore);
  });
});
