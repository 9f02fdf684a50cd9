import { type Attributes, context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  getBooleanFromEnv,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  envDetector,
  osDetector,
  processDetector,
  type ResourceDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { hostname } from 'node:os';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_FULL,
  ATTR_URL_QUERY,
} from '@opentelemetry/semantic-conventions';

/** The name of the tracer every ShelfWatch span is created with. */
export const TRACER_NAME = 'shelfwatch';

/**
 * What {@link startTracing} needs to know about the process it instruments. Everything else comes from the
 * standard `OTEL_*` environment variables, read by the OpenTelemetry Node SDK itself (docs/operations.md §Tracing).
 */
export interface TracingOptions {
  /** `service.name`, unless `OTEL_SERVICE_NAME` or `OTEL_RESOURCE_ATTRIBUTES` name the service. */
  serviceName: string;
  /** `service.version`, unless `OTEL_RESOURCE_ATTRIBUTES` sets it. */
  serviceVersion?: string;
  /**
   * Span processors instead of the exporters `OTEL_TRACES_EXPORTER` chooses, e.g.
   * `new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })` in tests. The sampler and the resource
   * still come from the environment.
   */
  spanProcessors?: SpanProcessor[];
  /** Patch `pg`, `undici` (fetch) and outgoing `http`; on unless set to false. */
  instrumentations?: boolean;
}

/** The running tracing setup of this process. */
export interface TracingHandle {
  /** Exports every finished span now; tracing keeps running. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the instrumentations and unregisters the globals; a later {@link startTracing} starts afresh. */
  shutdown(): Promise<void>;
}

/** What the SDK's tracer provider offers beyond the API's interface. */
interface FlushableProvider {
  forceFlush(): Promise<void>;
}

// On globalThis rather than in a module variable so that a second copy of this file (another
// resolution path to the same lib) still sees the SDK that the preload started.
const HANDLE_KEY = Symbol.for('shelfwatch.observability.tracing');
type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: TracingHandle };

/**
 * Starts the OpenTelemetry Node SDK (`NodeSDK`) for this process: AsyncLocalStorage context, W3C trace-context +
 * baggage propagation (or `OTEL_PROPAGATORS`), the sampler of `OTEL_TRACES_SAMPLER`/`_ARG`, the exporters of
 * `OTEL_TRACES_EXPORTER` and `OTEL_EXPORTER_OTLP_*`, a resource with `service.name`, `service.version`,
 * `service.instance.id` (a UUID per process) and `OTEL_RESOURCE_ATTRIBUTES`, and the pg / undici /
 * outgoing-http instrumentations. Idempotent: a second call returns the handle of the first one.
 *
 * `OTEL_SDK_DISABLED=true` creates no span and exports nothing, but still registers the context manager and the
 * W3C propagator: a trace context that arrives in a header leaves with the messages the process sends.
 *
 * Must run before `pg`, `http` or `undici` are loaded (services do it through `preload.ts`).
 */
export function startTracing(options: TracingOptions): TracingHandle {
  const holder = globalThis as GlobalWithHandle;
  const existing = holder[HANDLE_KEY];
  if (existing) {
    return existing;
  }
  const disabled = getBooleanFromEnv('OTEL_SDK_DISABLED');
  const instrumentations = disabled || options.instrumentations === false ? [] : createInstrumentations();
  const sdk = disabled ? undefined : createSdk(options, instrumentations);
  if (sdk) {
    sdk.start();
  } else {
    registerPropagationOnly();
  }

  const handle: TracingHandle = {
    forceFlush: () => activeProvider()?.forceFlush() ?? Promise.resolve(),
    shutdown: async () => {
      if (holder[HANDLE_KEY] !== handle) {
        return;
      }
      delete holder[HANDLE_KEY];
      // The SDK's shutdown leaves the patches in place; a later startTracing registers new ones.
      for (const instrumentation of instrumentations) {
        instrumentation.disable();
      }
      await sdk?.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  holder[HANDLE_KEY] = handle;
  return handle;
}

function createSdk(options: TracingOptions, instrumentations: Instrumentation[]): NodeSDK {
  return new NodeSDK({
    // The detectors' attributes are merged over this, the environment's last: it overrides what the process
    // says about itself.
    resourceDetectors: RESOURCE_DETECTORS,
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
      }),
    ),
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    // Traces only: metrics are Prometheus (metrics.ts), logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
}

/**
 * `service.instance.id` (a random UUID per process), `host.name` (the pod's name in Kubernetes), `os.*`,
 * `process.*`, then `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_SERVICE_NAME`. All synchronous: the SDK's own host
 * detector reads `host.id` asynchronously, which holds every export back until it settles.
 */
const RESOURCE_DETECTORS: ResourceDetector[] = [
  serviceInstanceIdDetector,
  { detect: () => ({ attributes: { 'host.name': hostname() } }) },
  osDetector,
  processDetector,
  envDetector,
];

function registerPropagationOnly(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
}

/** The SDK's tracer provider behind the API's proxy, if one is registered. */
function activeProvider(): FlushableProvider | undefined {
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const provider = global.getDelegate?.() ?? global;
  return typeof (provider as Partial<FlushableProvider>).forceFlush === 'function'
    ? (provider as FlushableProvider)
    : undefined;
}

/** Flushes and stops the tracing started by {@link startTracing}, if any (for `onApplicationShutdown`). */
export async function shutdownTracing(): Promise<void> {
  await (globalThis as GlobalWithHandle)[HANDLE_KEY]?.shutdown();
}

/** The ShelfWatch tracer of the global provider (a no-op tracer until {@link startTracing} ran). */
export function getTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * `url.full` and `url.query` of an outgoing fetch without the query string, which may carry credentials: they
 * override what the undici instrumentation records (as incoming spans record the path only, `http-tracing.ts`).
 */
export function outgoingUrlAttributes(request: { origin: string; path: string }): Attributes {
  const url = new URL(request.path, request.origin);
  return { [ATTR_URL_FULL]: `${url.origin}${url.pathname}`, [ATTR_URL_QUERY]: '' };
}

function createInstrumentations(): Instrumentation[] {
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
