import { randomUUID } from 'node:crypto';
import { TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { RankingProductView } from '@shelfwatch/contracts';
import { TracingHandle, getTracer, startTracing } from '@shelfwatch/observability';
import { eventually, untilOutboxDrained } from '@shelfwatch/testing';
import { binomialAcceptanceBand } from './binomial-band';
import { CrawlPipeline, startCrawlPipeline } from './crawl-pipeline.harness';

const SEED = 33;
const T0 = new Date('2026-11-22T05:00:00Z');
const RATIO = 0.1;
const CRAWLS = 400;
/** Keywords crawled side by side; each is crawled again once its previous crawl finished (one at a time each). */
const KEYWORDS = 8;
/** How unlikely a correct sampler is to fail the count check. */
const FALSE_ALARM = 1e-6;
/** Spans every crawl's trace has, in the test, the crawler, the ranking and the alerting. */
const CRAWL_SPANS = [
  'request crawler.crawl.request',
  'serve crawler.crawl.request',
  'crawl naver',
  'naver search page',
  'publish crawl.started',
  'publish crawl.completed',
  'process crawl.completed',
  'publish ranking.recorded',
  'process ranking.recorded',
];
/** Hang guard of the test (not a measurement): 400 crawls through three services on a busy machine. */
const TEST_TIMEOUT_MS = 900_000;

/** One crawl under test: the trace its caller started and what the sampler decided for it. */
interface CrawlUnderTest {
  crawlId: string;
  traceId: string;
  sampled: boolean;
}

/**
 * `OTEL_TRACES_SAMPLER=parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1`, as an operator sets it: the
 * decision is taken once, where a crawl's trace starts, and every service follows it through the `traceparent`
 * in NATS headers and in the outbox. About a tenth of the crawls are exported, each whole (every span, from the
 * caller to the alerting's handler), and nothing of the others. The crawler, ranking and alerting run on the
 * real Postgres and NATS, sharing this process's SDK and its in-memory exporter.
 */
describe('sampling a tenth of the crawls with the standard OTEL_TRACES_SAMPLER variables', () => {
  const exporter = new InMemorySpanExporter();
  const savedEnv = { sampler: process.env.OTEL_TRACES_SAMPLER, arg: process.env.OTEL_TRACES_SAMPLER_ARG };
  let tracing: TracingHandle;
  let pipeline: CrawlPipeline;
  const tenantId = randomUUID();

  beforeAll(async () => {
    // What the operator sets in the service's environment; the SDK reads it when it starts.
    process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = String(RATIO);
    tracing = startTracing({
      serviceName: 'crawl-sampling-test',
      instrumentations: false,
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    pipeline = await startCrawlPipeline(SEED, T0, {
      NAVER_RATE_PER_SECOND: '1000',
      CRAWL_MAX_PAGES: '1',
      // No scheduled crawl during the test: every crawl is one the test asked for.
      CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
    });
  });

  afterAll(async () => {
    await pipeline?.close();
    await tracing?.shutdown();
    restoreEnv('OTEL_TRACES_SAMPLER', savedEnv.sampler);
    restoreEnv('OTEL_TRACES_SAMPLER_ARG', savedEnv.arg);
  });

  /**
   * Tracks one product on {@link KEYWORDS} keywords, inside a trace of its own whose id it answers with the
   * keywords' ids once the crawler knows them.
   */
  async function trackKeywords(): Promise<{ setupTraceId: string; keywordIds: string[] }> {
    return getTracer().startActiveSpan('set up', async (span) => {
      try {
        return { setupTraceId: span.spanContext().traceId, keywordIds: await createKeywords() };
      } finally {
        span.end();
      }
    });
  }

  async function createKeywords(): Promise<string[]> {
    const keywords = Array.from({ length: KEYWORDS }, (_, i) => `office chair ${i}`);
    const product = await pipeline.rpc.request<RankingProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: 'sampling-product',
      name: 'Sampling chair',
      price: 100_000,
      keywords,
    });
    const ids = product.keywords.map((keyword) => keyword.keywordId);
    await eventually(async () => {
      const [row] = await pipeline.crawlerOrm.em
        .fork()
        .execute<{ count: string }[]>('select count(*) from crawler.keywords where keyword_id in (?)', [ids]);
      expect(Number(row?.count)).toBe(KEYWORDS);
    }, 30_000);
    return ids;
  }

  /** Asks for a crawl inside a new trace, as a caller without trace context does, and waits until it finished. */
  async function crawlOnce(keywordId: string): Promise<CrawlUnderTest> {
    const { crawlId, traceId, sampled } = await getTracer().startActiveSpan('crawl under test', async (root) => {
      const answer = await pipeline.rpc.request<{ crawlId: string }>('crawler.crawl.request', { tenantId, keywordId });
      root.end();
      const { traceId: id, traceFlags } = root.spanContext();
      return { crawlId: answer.crawlId, traceId: id, sampled: (traceFlags & TraceFlags.SAMPLED) !== 0 };
    });
    await eventually(
      async () => {
        const [run] = await pipeline.crawlerOrm.em
          .fork()
          .execute<{ status: string }[]>('select status from crawler.crawl_runs where crawl_id = ?', [crawlId]);
        expect(run?.status).toBe('completed');
      },
      60_000,
      20,
    );
    return { crawlId, traceId, sampled };
  }

  /** Waits until the alerting has handled the `ranking.recorded` of every crawl: nothing of any trace is pending. */
  async function untilAlertingHandled(crawls: number): Promise<void> {
    await eventually(async () => {
      const [row] = await pipeline.alertingOrm.em
        .fork()
        .execute<{ count: string }[]>("select count(*) from alerting.inbox where event_type = 'ranking.recorded'");
      expect(Number(row?.count)).toBe(crawls);
    }, 120_000);
    // The relay ends its PRODUCER span before it marks the row published: every span has ended after this.
    await untilOutboxDrained(pipeline.alertingOrm, 'alerting');
  }

  it(
    'exports about a tenth of the crawls, each whole, and nothing of the others',
    async () => {
      const { setupTraceId, keywordIds } = await trackKeywords();

      const perKeyword = CRAWLS / KEYWORDS;
      const crawls = (
        await Promise.all(
          keywordIds.map(async (keywordId) => {
            const done: CrawlUnderTest[] = [];
            for (let i = 0; i < perKeyword; i++) {
              done.push(await crawlOnce(keywordId));
            }
            return done;
          }),
        )
      ).flat();
      await untilAlertingHandled(CRAWLS);

      const sampled = crawls.filter((crawl) => crawl.sampled);
      const [low, high] = binomialAcceptanceBand(CRAWLS, RATIO, FALSE_ALARM);
      expect(sampled.length).toBeGreaterThanOrEqual(low);
      expect(sampled.length).toBeLessThanOrEqual(high);

      // Exported: exactly the sampled crawls' traces (and the set-up's, if it was sampled), nothing of the others.
      const byTrace = groupByTrace(exporter.getFinishedSpans());
      byTrace.delete(setupTraceId);
      expect([...byTrace.keys()].sort()).toEqual(sampled.map((crawl) => crawl.traceId).sort());
      for (const crawl of sampled) {
        expectWhole(byTrace.get(crawl.traceId) ?? [], crawl);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

function groupByTrace(spans: ReadableSpan[]): Map<string, ReadableSpan[]> {
  const traces = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    traces.set(traceId, [...(traces.get(traceId) ?? []), span]);
  }
  return traces;
}

/** One root (the caller's span), every other span's parent exported too, every hop of the crawl present. */
function expectWhole(trace: ReadableSpan[], crawl: CrawlUnderTest): void {
  const ids = new Set(trace.map((span) => span.spanContext().spanId));
  const roots = trace.filter((span) => span.parentSpanContext === undefined);
  expect(roots.map((span) => span.name)).toEqual(['crawl under test']);
  const orphans = trace.filter((span) => span.parentSpanContext && !ids.has(span.parentSpanContext.spanId));
  expect(orphans.map((span) => span.name)).toEqual([]);
  const names = new Set(trace.map((span) => span.name));
  expect(CRAWL_SPANS.filter((name) => !names.has(name))).toEqual([]);
  const crawlSpan = trace.find((span) => span.name === 'crawl naver');
  expect(crawlSpan?.attributes['shelfwatch.crawl_id']).toBe(crawl.crawlId);
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}
