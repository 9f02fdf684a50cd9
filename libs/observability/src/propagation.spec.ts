import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import {
  contextFromTraceparent,
  currentTraceIds,
  currentTraceContext,
  extractContext,
  injectContext,
  type HeaderCarrier,
} from './propagation';
import { getTracer, startTracing } from './tracing';

/** Behaves like NATS `MsgHdrs`: a missing key reads as ''. */
class FakeHeaders implements HeaderCarrier {
  private readonly values = new Map<string, string>();
  get(key: string): string {
    return this.values.get(key) ?? '';
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}

const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'propagation-spec', spanProcessors: [new SimpleSpanProcessor({ exporter })] });

afterEach(() => exporter.reset());

describe('propagation over message headers', () => {
  it('extracts from the headers the span that was active when they were written', () => {
    const headers = new FakeHeaders();
    const producer = getTracer().startSpan('publish crawl.completed');
    context.with(trace.setSpan(context.active(), producer), () => injectContext(headers));
    producer.end();

    const remote = trace.getSpanContext(extractContext(headers));

    expect(headers.get('traceparent')).not.toBe('');
    expect(remote?.traceId).toBe(producer.spanContext().traceId);
    expect(remote?.spanId).toBe(producer.spanContext().spanId);
    expect(remote?.isRemote).toBe(true);
  });

  it('parents a consumer span by the producer span', () => {
    const headers = new FakeHeaders();
    const producer = getTracer().startSpan('publish');
    injectContext(headers, trace.setSpan(ROOT_CONTEXT, producer));
    producer.end();

    getTracer().startSpan('process', {}, extractContext(headers)).end();

    const consumer = exporter.getFinishedSpans().find((span) => span.name === 'process');
    expect(consumer?.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
  });

  it('treats headers without trace context (empty strings) and no headers as no parent', () => {
    expect(trace.getSpanContext(extractContext(new FakeHeaders()))).toBeUndefined();
    expect(trace.getSpanContext(extractContext(undefined))).toBeUndefined();
  });
});

describe('stored creation context (outbox)', () => {
  it('gives back the context of the span whose traceparent was stored', () => {
    const span = getTracer().startSpan('write outbox row');
    const stored = context.with(trace.setSpan(context.active(), span), () => currentTraceContext());
    span.end();

    const restored = trace.getSpanContext(contextFromTraceparent(stored?.traceparent ?? null));

    expect(stored).toEqual({
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      tracestate: null,
    });
    expect(restored?.traceId).toBe(span.spanContext().traceId);
    expect(restored?.spanId).toBe(span.spanContext().spanId);
  });

  it('keeps the tracestate of the stored span for the spans continued from it', () => {
    const parent = contextFromTraceparent(`00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`, 'vendor=opaque,other=1');
    const span = getTracer().startSpan('claim crawl', {}, parent);
    const stored = context.with(trace.setSpan(context.active(), span), () => currentTraceContext());
    span.end();

    expect(stored?.tracestate).toBe('vendor=opaque,other=1');
    const restored = trace.getSpanContext(contextFromTraceparent(stored?.traceparent ?? null, stored?.tracestate));
    expect(restored?.traceState?.get('vendor')).toBe('opaque');
    expect(restored?.traceId).toBe('ab'.repeat(16));
  });

  it('has no traceparent outside a span, and no context for a missing or malformed one', () => {
    expect(currentTraceContext()).toBeNull();
    expect(trace.getSpanContext(contextFromTraceparent(null))).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent('not-a-traceparent'))).toBeUndefined();
  });
});

describe('currentTraceIds', () => {
  it('names the active span, and nothing outside one', () => {
    expect(currentTraceIds()).toBeNull();
    getTracer().startActiveSpan('work', (span) => {
      expect(currentTraceIds()).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      span.end();
    });
  });
});
