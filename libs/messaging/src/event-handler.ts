import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, EventEnvelope, EventType } from '@shelfwatch/contracts';

/** What a handler gets besides the event: its transaction and a way to announce follow-up events. */
export interface HandlerContext {
  /** Entity manager bound to the transaction that also records the event in the inbox. */
  em: EntityManager;
  /** How many times this message has been delivered (1 on the first delivery). */
  deliveryCount: number;
  /** Appends a follow-up event to the outbox in the same transaction, caused by the event being handled. */
  emit<T extends EventType>(type: T, data: EventData<T>, aggregateKey?: string): Promise<EventEnvelope<T>>;
  /**
   * Runs `work` once, after the transaction's last handler and before its commit (in batch mode: after the
   * whole batch); a second call with the same `key` in the same transaction is ignored. How a projection
   * writes a batch's events together: each handler collects its event, the work writes them all.
   */
  beforeCommit(key: string, work: (em: EntityManager) => Promise<void>): void;
}

/** A function that applies one event's effects; throwing rolls the whole transaction back. */
export type EventHandlerFn<T extends EventType = EventType> = (
  event: EventEnvelope<T>,
  ctx: HandlerContext,
) => Promise<void>;
