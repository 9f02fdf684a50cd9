import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * The part of a message's headers that trace propagation needs. NATS `MsgHdrs` fits as is; like it,
 * `get` answers `''` for a missing key.
 */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

/** The ids of a span, as logs and envelopes carry them. */
export interface TraceIds {
  traceId: string;
  spanId: string;
}

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

const carrierSetter: TextMapSetter<HeaderCarrier> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const carrierGetter: TextMapGetter<HeaderCarrier | undefined> = {
  keys: (carrier) => (carrier ? carrier.keys() : []),
  get: (carrier, key) => carrier?.get(key) || undefined,
};

const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (record, key, value) => {
    record[key] = value;
  },
};

const recordGetter: TextMapGetter<Record<string, string>> = {
  keys: (record) => Object.keys(record),
  get: (record, key) => record[key],
};

/** Writes `traceparent`, `tracestate` and `baggage` of `ctx` (the active context by default) into `carrier`. */
export function injectContext(carrier: HeaderCarrier, ctx: Context = context.active()): void {
  propagation.inject(ctx, carrier, carrierSetter);
}

/**
 * The remote context that `carrier` describes, on top of the root context (never the caller's), so that a
 * consumer's span is parented by the producer and by nothing else. A missing carrier gives the root context.
 */
export function extractContext(carrier: HeaderCarrier | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, carrier, carrierGetter);
}

/** A span's W3C trace context as a row stores it (outbox, crawl run) to continue its trace later. */
export interface StoredTraceContext {
  traceparent: string;
  /** Vendor state that travels with `traceparent`; null when the trace has none. */
  tracestate: string | null;
}

/**
 * The W3C `traceparent` and `tracestate` of the active span, or null when none is active: what the outbox stores
 * with a row so that the relay can later publish it inside the trace that created it.
 */
export function currentTraceContext(): StoredTraceContext | null {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) {
    return null;
  }
  const record: Record<string, string> = {};
  propagation.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), record, recordSetter);
  const traceparent = record[TRACEPARENT];
  return traceparent ? { traceparent, tracestate: record[TRACESTATE] || null } : null;
}

/** The context a stored `traceparent` (and `tracestate`) describes; the root context for null or an invalid value. */
export function contextFromTraceparent(traceparent: string | null, tracestate: string | null = null): Context {
  if (!traceparent) {
    return ROOT_CONTEXT;
  }
  const carrier: Record<string, string> = { [TRACEPARENT]: traceparent };
  if (tracestate) {
    carrier[TRACESTATE] = tracestate;
  }
  return propagation.extract(ROOT_CONTEXT, carrier, recordGetter);
}

/** Trace and span id of the active span, or null when none is active. */
export function currentTraceIds(): TraceIds | null {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) {
    return null;
  }
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
