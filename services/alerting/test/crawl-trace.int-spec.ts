import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { ALERTING_RPC, RankingProductView } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { TracingHandle, registerHttpTracing, startTracing } from '@shelfwatch/observability';
import { CheckedRpcClient, eventually } from '@shelfwatch/testing';
import Fastify, { FastifyInstance } from 'fastify';
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
import { undercutRules } from './alerting.fixtures';
import { TestReceiver, startReceiver } from './webhook-receiver';

const SEED = 33;
const T0 = new Date('2026-11-22T05:00:00Z');
const KEYWORD = 'office chair';
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/**
 * The simulator, crawler, ranking and alerting on the real Postgres and NATS, traced into memory: a scheduled
 * crawl that finds a competitor undercutting the tenant is one trace, from the scheduler's tick through the
 * crawler, the ranking and the alerting to the webhook delivery its alert causes. A manual crawl asked for over
 * HTTP is one trace too, started by our SERVER span; the client's `traceparent` is only a link.
 */
describe('one trace per crawl, from the schedule to the webhook delivery', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: TracingHandle;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let receiver: TestReceiver;
  let environment: TestEnvironment;
  const services: ServiceUnderTest[] = [];
  let crawlerOrm: MikroORM;
  let rpc: RpcClient;
  let http: FastifyInstance;
  const tenantId = randomUUID();
  let keywordId = '';

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'crawl-trace-test',
      otlpEndpoint: null,
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    sim = await startSimulator({ port: 0, seed: SEED });
    sim.control.setClock({ now: T0.toISOString() });
    receiver = await startReceiver();
    environment = await createTestEnvironment([crawlerPersistence, rankingPersistence, alertingPersistence]);
    const env = {
      ...environment.env,
      NAVER_API_BASE_URL: sim.url,
      NAVER_CLIENT_ID: 'client',
      NAVER_CLIENT_SECRET: 'secret',
      CRAWL_SCHEDULER_INTERVAL_MS: '200',
      ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true',
      ALERTING_DELIVERY_POLL_MS: '50',
    };
    const crawler = await bootService('crawler', loadCrawlerConfig(env), (c, l) => CrawlerAppModule.forConfig(c, l));
    services.push(crawler);
    crawlerOrm = crawler.app.get(MikroORM);
    services.push(await bootService('ranking', loadRankingConfig(env), (c, l) => RankingAppModule.forConfig(c, l)));
    services.push(await bootService('alerting', loadAlertingConfig(env), (c, l) => AlertingAppModule.forConfig(c, l)));
    rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
    // What the gateway does for a manual crawl: an HTTP edge that asks the crawler over NATS.
    http = Fastify();
    registerHttpTracing(http);
    http.post('/crawls', () => rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId }));
    await http.ready();
  });

  afterAll(async () => {
    await http?.close();
    for (const service of services) {
      await service.close();
    }
    await environment?.cleanup();
    await sim?.close();
    await receiver?.close();
    await tracing?.shutdown();
  });

  /** My product on the shelf, a competitor 20 % below it, an undercut rule and a webhook: a crawl raises an alert. */
  async function trackAnUndercutProduct(): Promise<void> {
    const shelf = groundTruth(SEED, KEYWORD, T0).slice(0, 100);
    const [mine, competitor] = shelf.filter((item) => item.lprice > 0).slice(4, 6);
    const myPrice = Math.min(...shelf.filter((i) => i.lprice > 0).map((i) => i.lprice)) + 10_000;
    await rpc.request(ALERTING_RPC.rulesPut, undercutRules(tenantId));
    await rpc.request(ALERTING_RPC.webhookCreate, { tenantId, url: receiver.url });
    sim.control.setPrice({ productId: mine?.productId, price: myPrice });
    sim.control.setPrice({ productId: competitor?.productId, price: Math.floor(myPrice * 0.8) });
    const product = await rpc.request<RankingProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: mine?.productId,
      name: mine?.title,
      price: myPrice,
      keywords: [KEYWORD],
    });
    keywordId = product.keywords[0]?.keywordId ?? '';
  }

  /** The finished spans of one trace. */
  function traceOf(traceId: string): ReadableSpan[] {
    return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  }

  function named(spans: ReadableSpan[], name: string): ReadableSpan {
    const span = spans.find((candidate) => candidate.name === name);
    if (!span) {
      throw new Error(`no span ${name} in the trace: ${spans.map((s) => s.name).join(', ')}`);
    }
    return span;
  }

  it('puts a scheduled crawl, the events it leads to and the webhook delivery of its alert in one trace', async () => {
    await trackAnUndercutProduct();
    // The keyword's first crawl is due within minutes: make it due now, so that the next tick requests it.
    await eventually(async () => {
      const moved = await crawlerOrm.em
        .fork()
        .execute<{ affectedRows: number }>(
          'update crawler.keywords set next_due_at = now() where keyword_id = ?',
          [keywordId],
          'run',
        );
      expect(moved.affectedRows).toBe(1);
    }, 10_000);

    await eventually(() => expect(receiver.requests).toHaveLength(1), 30_000);
    const delivery = await eventually(() => named(exporter.getFinishedSpans(), 'deliver webhook'), 10_000);

    const spans = traceOf(delivery.spanContext().traceId);
    const schedule = named(spans, 'schedule crawl naver');
    expect(schedule.parentSpanContext).toBeUndefined();
    expect(spans.filter((span) => span.parentSpanContext === undefined)).toEqual([schedule]);
    for (const name of [
      'publish crawl.requested',
      'publish crawl.started',
      'crawl naver',
      'naver search page',
      'publish crawl.completed',
      'process crawl.completed',
      'publish ranking.recorded',
      'process ranking.recorded',
      'publish alert.raised',
    ]) {
      expect(named(spans, name).spanContext().traceId).toBe(schedule.spanContext().traceId);
    }
    // Each hop hangs under the previous one: the crawl under the schedule, the alert's delivery under its event.
    const crawl = named(spans, 'crawl naver');
    expect(named(spans, 'publish crawl.requested').parentSpanContext?.spanId).toBe(schedule.spanContext().spanId);
    expect(named(spans, 'publish crawl.started').parentSpanContext?.spanId).toBe(crawl.spanContext().spanId);
    expect(named(spans, 'publish crawl.completed').parentSpanContext?.spanId).toBe(crawl.spanContext().spanId);
    const evaluation = named(spans, 'process ranking.recorded');
    expect(named(spans, 'publish alert.raised').parentSpanContext?.spanId).toBe(evaluation.spanContext().spanId);
    expect(delivery.parentSpanContext?.spanId).toBe(evaluation.spanContext().spanId);
    expect(delivery.attributes).toMatchObject({ 'shelfwatch.delivery.result': 'delivered' });
  });

  it('starts a manual crawl’s trace at our HTTP span and keeps the client’s traceparent as a link', async () => {
    const response = await http.inject({
      method: 'POST',
      url: '/crawls',
      headers: { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`, tracestate: 'caller=1' },
    });
    expect(response.statusCode).toBe(200);
    const { crawlId } = response.json<{ crawlId: string }>();

    const crawl = await eventually(() => {
      const span = exporter
        .getFinishedSpans()
        .find((s) => s.name === 'crawl naver' && s.attributes['shelfwatch.crawl_id'] === crawlId);
      expect(span).toBeDefined();
      return span;
    }, 30_000);
    const server = named(exporter.getFinishedSpans(), 'POST /crawls');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
      [CALLER_TRACE_ID, CALLER_SPAN_ID],
    ]);
    expect(crawl?.spanContext().traceId).toBe(server.spanContext().traceId);
    const spans = traceOf(server.spanContext().traceId);
    expect(named(spans, 'publish crawl.started').parentSpanContext?.spanId).toBe(crawl?.spanContext().spanId);
    expect(exporter.getFinishedSpans().some((span) => span.spanContext().traceId === CALLER_TRACE_ID)).toBe(false);
  });
});
