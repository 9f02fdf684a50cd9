import { Injectable } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { EventType, isEventType } from '@shelfwatch/contracts';
import { lastValueFrom } from 'rxjs';
import { EventHandlerFn } from '../event-handler';
import { MessagingService } from '../messaging.service';
import { RpcHandlerFn } from '../rpc';
import { JetStreamEventContext, JetStreamRequestContext } from './jetstream.context';

/** Identifies the transport (`@EventPattern(type, JETSTREAM_TRANSPORT)` would bind a handler to it alone). */
export const JETSTREAM_TRANSPORT = Symbol('JETSTREAM_TRANSPORT');

/**
 * The JetStream transport of `@nestjs/microservices`. Nest registers every `@EventPattern` and `@MessagePattern`
 * method of the service's controllers here, each wrapped in its guards, interceptors, pipes and exception filters;
 * `listen` hands them to the existing delivery machinery ({@link MessagingService.startHandlers}):
 * - an event handler runs inside `MessageProcessor`'s inbox transaction, so inbox row and effects commit together,
 *   the ack follows the commit, failures are nak'ed with back-off or dead-lettered with a reason, batch mode,
 *   heartbeats and trace context are unchanged; its `@Ctx()` is a {@link JetStreamEventContext};
 * - a request handler is answered by `RpcServer` (queue group = service) in the `{ok, data | error}` envelope,
 *   with its error codes; its `@Ctx()` is a {@link JetStreamRequestContext}.
 * A handler's error reaches that machinery as thrown (see `MessageOutcomeFilter`), which decides the outcome.
 */
@Injectable()
export class JetStreamServer extends Server implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;

  constructor(private readonly messaging: MessagingService) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const { events, requests } = this.routes();
      await this.messaging.startHandlers(events, requests);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.messaging.stopHandlers();
  }

  on(): never {
    throw new Error('the JetStream transport reports its state through readiness and metrics, not events');
  }

  unwrap<T>(): T {
    return this.messaging as T;
  }

  /** Nest's handlers by pattern, as the delivery machinery calls them. */
  private routes(): { events: Map<EventType, EventHandlerFn>; requests: Map<string, RpcHandlerFn> } {
    const events = new Map<EventType, EventHandlerFn>();
    const requests = new Map<string, RpcHandlerFn>();
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.next) {
        throw new Error(`two handlers for ${pattern}`);
      }
      if (!handler.isEventHandler) {
        requests.set(pattern, (payload) => this.settle(handler(payload, new JetStreamRequestContext(pattern))));
      } else if (isEventType(pattern)) {
        events.set(pattern, async (event, ctx) => {
          await this.settle(handler(event, new JetStreamEventContext(ctx, pattern)));
        });
      } else {
        throw new Error(`@EventPattern('${pattern}') names no event type of the contracts`);
      }
    }
    return { events, requests };
  }

  /** The handler's result once its stream completed; rejects with what the handler threw. */
  private async settle(result: ReturnType<MessageHandler>): Promise<unknown> {
    return lastValueFrom(this.transformToObservable(await result), { defaultValue: undefined });
  }
}
