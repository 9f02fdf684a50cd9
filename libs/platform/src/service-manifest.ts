import { ServiceName } from '@shelfwatch/config';
import { EventType, StreamDefinition } from '@shelfwatch/contracts';

/** A service whose every request/reply subject may be called, or one subject of it. */
export type RpcCall = ServiceName | `${ServiceName}.${string}`;

/**
 * JetStream API use beyond consuming and publishing events: `inspect` reads stream and consumer state and last
 * messages (health), `stream-ages` changes streams' max age (retention).
 */
export type JetStreamUse = 'inspect' | 'stream-ages';

/**
 * Another service's durable consumer whose state (pending and unacknowledged messages) this service reads: the
 * one `service` reads `stream` with (`durableName(service, stream)`). Grants that consumer's info and nothing else.
 */
export interface WatchedConsumer {
  service: ServiceName;
  stream: StreamDefinition;
}

/**
 * What a service declares about its place on the wire; read by the service, by `npm run provision`, and by
 * {@link natsPermissions}, which grants a service's NATS user exactly this and nothing more.
 */
export interface ServiceManifest {
  service: ServiceName;
  /** Event types the service consumes; one durable consumer is declared per stream they come from. */
  handles: EventType[];
  /** Event types the service publishes (through its outbox). */
  publishes: EventType[];
  /**
   * What this service calls over request/reply: a service name grants all its subjects (`rpc.<service>.>`), a
   * subject (`retention.policy.kind`) that one alone.
   */
  calls?: RpcCall[];
  jetstream?: JetStreamUse[];
  /** Other services' consumers whose lag this service reads (the crawler slows down when they fall behind). */
  watches?: WatchedConsumer[];
}
