import { BaseRpcContext } from '@nestjs/microservices';
import { EventData, EventEnvelope, EventType } from '@shelfwatch/contracts';
import { HandlerContext } from '../event-handler';

/**
 * What `@Ctx()` gives an `@EventPattern` handler: the transaction that also records the event in the inbox
 * (`em`), the delivery count, `emit` for follow-up events through the outbox in that transaction, and
 * `beforeCommit` for work done once per transaction (a batch's events written together).
 */
export class JetStreamEventContext extends BaseRpcContext<[HandlerContext, string]> implements HandlerContext {
  constructor(handler: HandlerContext, subject: string) {
    super([handler, subject]);
  }

  get em(): HandlerContext['em'] {
    return this.args[0].em;
  }

  get deliveryCount(): number {
    return this.args[0].deliveryCount;
  }

  emit<T extends EventType>(type: T, data: EventData<T>, aggregateKey?: string): Promise<EventEnvelope<T>> {
    return this.args[0].emit(type, data, aggregateKey);
  }

  beforeCommit(key: string, work: (em: HandlerContext['em']) => Promise<void>): void {
    this.args[0].beforeCommit(key, work);
  }

  /** The event type (un-namespaced subject) the handler was matched on. */
  getPattern(): string {
    return this.args[1];
  }
}

/** What `@Ctx()` gives a `@MessagePattern` handler: the request/reply subject it answers. */
export class JetStreamRequestContext extends BaseRpcContext<[string]> {
  constructor(subject: string) {
    super([subject]);
  }

  getPattern(): string {
    return this.args[0];
  }
}
