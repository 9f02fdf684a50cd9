import { type Attributes, type Span, SpanStatusCode } from '@opentelemetry/api';

/** Which end of a request/reply exchange a span describes. */
export type RpcSpanSide = 'client' | 'server';

/** How a request/reply exchange ended, as its span records it. */
export type RpcSpanOutcome =
  /** The service answered with data. */
  | { outcome: 'ok'; replyBytes: number }
  /** The service answered with a domain error code (`not_found`, `invalid`, `internal`, …). */
  | { outcome: 'error_reply'; code: string; replyBytes: number; message?: string }
  /** No usable answer: nobody subscribed, a timeout, a malformed reply (client side only). */
  | { outcome: 'unavailable'; message: string };

/**
 * Messaging semantic-convention attributes of a request/reply span over NATS, known when it starts:
 * `messaging.system`, `messaging.destination.name` (the wire subject), the operation and the request's size.
 */
export function rpcSpanAttributes(side: RpcSpanSide, wireSubject: string, requestBytes: number): Attributes {
  return {
    'messaging.system': 'nats',
    'messaging.operation.type': side === 'client' ? 'send' : 'process',
    'messaging.operation.name': side === 'client' ? 'request' : 'reply',
    'messaging.destination.name': wireSubject,
    'messaging.message.body.size': requestBytes,
  };
}

/**
 * Records how the exchange ended: `shelfwatch.rpc.outcome`, the error code as `shelfwatch.rpc.error_code` and
 * `error.type`, and the reply's size. `failed` marks the span's status as an error: every failure on the
 * client, only the service's own faults (`internal`) on the server, where a refusal is a correct answer.
 */
export function recordRpcOutcome(span: Span, result: RpcSpanOutcome, failed: boolean): void {
  const attributes: Attributes = { 'shelfwatch.rpc.outcome': result.outcome };
  if (result.outcome !== 'unavailable') {
    attributes['shelfwatch.rpc.reply.body.size'] = result.replyBytes;
  }
  if (result.outcome === 'error_reply') {
    attributes['shelfwatch.rpc.error_code'] = result.code;
    attributes['error.type'] = result.code;
  } else if (result.outcome === 'unavailable') {
    attributes['error.type'] = 'unavailable';
  }
  span.setAttributes(attributes);
  if (failed) {
    const message = result.outcome === 'ok' ? undefined : (result.message ?? result.outcome);
    span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
  }
}
