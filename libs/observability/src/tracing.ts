import { type Attributes, context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_FULL,
  ATTR_URL_QUERY,
} from '@opentelemetry/semantic-conventions';

/** The name of the tracer every ShelfWatch span is created with. */
export const TRACER_NAME = 'shelfwatch';

/** What {@link startTracing} needs to know about the process it instruments. */
export interface TracingOptions {
  /** `service.name` on every span (`gateway`, `crawler`, …). */
  serviceName: string;
  /** `service.version` on every span, when known. */
  serviceVersion?: string;
  /** OTLP/HTTP base URL (`http://127.0.0.1:4318`); `/v1/traces` is appended. No export when absent or null. */
  otlpEndpoint?: string | null;
  /** Extra processors, e.g. `new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })` in tests. */
  spanProcessors?: SpanProcessor[];
  /** Patch `pg`, `undici` (fetch) and outgoing `http`; on unless set to false. */
  instrumentations?: boolean;
}

/** The running tracing setup of this process. */
export interface TracingHandle {
  /** The one global provider. */
  readonly provider: TracerProvider;
  /** Exports every finished span now; tracing keeps running. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the instrumentations and unregisters the globals; a later {@link startTracing} starts afresh. */
  shutdown(): Promise<void>;
}

// On globalThis rather than in a module variable so that a second copy of this file (another
// resolution path to the same lib) still sees the provider that the preload registered.
const HANDLE_KEY = Symbol.for('shelfwatch.observability.tracing');
type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: TracingHandle };

/**
 * Registers the process-wide tracer provider, context manager (AsyncLocalStorage), W3C trace-context +
 * baggage propagator and the pg / undici / outgoing-http instrumentations. Idempotent: a second call returns
 * the handle of the first one and ignores its options.
 *
 * Must run before `pg`, `http` or `undici` are loaded (services do it through `preload.ts`).
 */
export function startTracing(options: TracingOptions): TracingHandle {
  const holder = globalThis as GlobalWithHandle;
  const existing = holder[HANDLE_KEY];
  if (existing) {
    return existing;
  }

  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
  );
  const spanProcessors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint) {
    const exporter = new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint) });
    spanProcessors.unshift(new BatchSpanProcessor({ exporter }));
  }
  const provider = new TracerProvider({ resource, spanProcessors });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  const unregisterInstrumentations =
    options.instrumentations === false
      ? () => undefined
      : registerInstrumentations({ tracerProvider: provider, instrumentations: createInstrumentations() });

  const handle: TracingHandle = {
    provider,
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      if (holder[HANDLE_KEY] !== handle) {
        return;
      }
      delete holder[HANDLE_KEY];
      unregisterInstrumentations();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  holder[HANDLE_KEY] = handle;
  return handle;
}

/** Flushes and stops the tracing started by {@link startTracing}, if any (for `onApplicationShutdown`). */
export async function shutdownTracing(): Promise<void> {
  await (globalThis as GlobalWithHandle)[HANDLE_KEY]?.shutdown();
}

/** The ShelfWatch tracer of the global provider (a no-op tracer until {@link startTracing} ran). */
export function getTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * `url.full` and `url.query` of an outgoing fetch without the query string, which may carry credentials: they
 * override what the undici instrumentation records (as incoming spans record the path only, `http-tracing.ts`).
 */
export function outgoingUrlAttributes(request: { origin: string; path: string }): Attributes {
  const url = new URL(request.path, request.origin);
  return { [ATTR_URL_FULL]: `${url.origin}${url.pathname}`, [ATTR_URL_QUERY]: '' };
}

function createInstrumentations(): [PgInstrumentation, UndiciInstrumentation, HttpInstrumentation] {
  return [
    // Without a parent, the outbox relay's polling would start a new trace for every query.
    new PgInstrumentation({ requireParentSpan: true }),
    // Outgoing URLs without their query string: it may carry credentials (Rakuten's applicationId and accessKey).
    new UndiciInstrumentation({ requireParentforSpans: true, startSpanHook: outgoingUrlAttributes }),
    // Outgoing only. Incoming spans come from the Fastify hook (http-tracing.ts). Not
    // `ignoreIncomingRequestHook: () => true`: that runs every ignored request under
    // `suppressTracing`, which would silence every span created while handling it.
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true }),
  ];
}
