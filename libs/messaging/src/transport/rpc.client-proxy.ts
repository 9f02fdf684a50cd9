import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { RpcClient } from '../rpc';

/** Default time a request waits for its answer. */
export const DEFAULT_RPC_TIMEOUT_MS = 5_000;

/** A request/reply subject, with how long to wait for the answer when the default does not fit. */
export type RpcPattern = string | { subject: string; timeoutMs: number };

/**
 * `ClientProxy` of the JetStream transport for request/reply: `client.send(RANKING_RPC.productList, payload)`
 * answers the handler's data, or errors with `RpcRemoteError` (the handler's error code) or
 * `RpcUnavailableError` (no answer in time, nobody subscribed). Requests go through {@link RpcClient}: the `rpc.`
 * wire prefix, trace context in headers, the `shelfwatch_rpc_request_duration_seconds` histogram.
 *
 * Events are not sent with a client: they are appended to the outbox inside the transaction that made the change
 * (`OutboxWriter.append`, or `ctx.emit` in a handler), so `emit` is refused.
 */
export class RpcClientProxy extends ClientProxy {
  constructor(private readonly rpc: RpcClient) {
    super();
  }

  /** The NATS connection is the service's own, opened at boot. */
  async connect(): Promise<void> {}

  /** The connection is drained by the messaging module at shutdown. */
  close(): void {}

  unwrap<T>(): T {
    return this.rpc as T;
  }

  protected publish(packet: ReadPacket<unknown>, callback: (packet: WritePacket) => void): () => void {
    const pattern = packet.pattern as RpcPattern;
    const { subject, timeoutMs } =
      typeof pattern === 'string' ? { subject: pattern, timeoutMs: DEFAULT_RPC_TIMEOUT_MS } : pattern;
    this.rpc.request(subject, packet.data, timeoutMs).then(
      (response) => callback({ response, isDisposed: true }),
      (err: unknown) => callback({ err }),
    );
    // A NATS request cannot be withdrawn once sent; unsubscribing only drops the answer.
    return () => undefined;
  }

  protected dispatchEvent<T>(packet: ReadPacket<unknown>): Promise<T> {
    return Promise.reject(
      new Error(`events are published through the outbox, not a client: ${String(packet.pattern)} was not sent`),
    );
  }
}
