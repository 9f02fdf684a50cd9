import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { ALERTING_RPC, RankingProductView } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { TracingHandle, registerHttpTracing, startTracing } from '@shelfwatch/observability';
import { eventually } from '@shelfwatch/testing';
import Fastify, { FastifyInstance } from 'fastify';
import { groundTruth } from '../../../tools/marketplace-sim/src';
import { undercutRules } from './alerting.fixtures';
import { CrawlPipeline, startCrawlPipeline } from './crawl-pipeline.harness';
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
  let pipeline: CrawlPipeline;
  let receiver: TestReceiver;
  let rpc: RpcClient;
  let http: FastifyInstance;
  const tenantId = randomUUID();
  let keywordId = '';

  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'crawl-trace-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    receiver = await startReceiver();
    pipeline = await startCrawlPipeline(SEED, T0, {
      CRAWL_SCHEDULER_INTERVAL_MS: '200',
      ALERTING_WEBHOOK_ALLOW_LOOPBACK: 'true',
      ALERTING_DELIVERY_POLL_MS: '50',
    });
    rpc = pipeline.rpc;
    // What the gateway does for a manual crawl: an HTTP edge that asks the crawler over NATS.
    http = Fastify();
    registerHttpTracing(http);
    http.post('/crawls', () => rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId }));
    await http.ready();
  });

  afterAll(async () => {
    await http?.close();
    await pipeline?.close();
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
    pipeline.sim.control.setPrice({ productId: mine?.productId, price: myPrice });
    pipeline.sim.control.setPrice({ productId: competitor?.productId, price: Math.floor(myPrice * 0.8) });
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
      const moved = await pipeline.crawlerOrm.em
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
    // The relay publishes `crawl.started` on its own schedule: the crawl's span may end before that publish does.
    const started = await eventually(
      () => named(traceOf(server.spanContext().traceId), 'publish crawl.started'),
      10_000,
    );
    expect(started.parentSpanContext?.spanId).toBe(crawl?.spanContext().spanId);
    expect(exporter.getFinishedSpans().some((span) => span.spanContext().traceId === CALLER_TRACE_ID)).toBe(false);
  });
});
