import { MikroORM } from '@mikro-orm/postgresql';
import { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AnyEvent, EventType, InvalidEventError, causedBy, parseEvent } from '@shelfwatch/contracts';
import { extractContext, getTracer } from '@shelfwatch/observability';
import { Logger } from 'pino';
import { DeadLetterReason, publishDeadLetter } from './dead-letter';
import { EventHandlerFn, HandlerContext } from './event-handler';
import { PermanentHandlerError, redeliveryDelayMs } from './handler-errors';
import { messagingMetrics } from './messaging-metrics';
import { OutboxWriter } from './outbox-writer';
import { ConsumerDefinition, Topology } from './topology';

/** Consumer tuning. */
export interface EventConsumerOptions {
  schema: string;
  /** Deliveries after which a still-failing message is dead-lettered. */
  maxDeliver: number;
  /** Messages handled at once by this instance (also the pull buffer size). */
  maxInFlight: number;
  /** Must match the consumer's `ack_wait`; handlers heartbeat at half of it. */
  ackWaitMs: number;
  /** First redelivery delay; doubles per delivery up to `maxRedeliveryDelayMs`. */
  redeliveryBaseMs: number;
  maxRedeliveryDelayMs: number;
  /** Test seam: runs after the transaction committed and before the ack (a crash point). */
  afterCommit?: (event: AnyEvent) => Promise<void>;
}

export const defaultConsumerOptions: Omit<EventConsumerOptions, 'schema'> = {
  maxDeliver: 8,
  maxInFlight: 8,
  ackWaitMs: 30_000,
  redeliveryBaseMs: 1_000,
  maxRedeliveryDelayMs: 60_000,
};

type Outcome = 'handled' | 'duplicate' | 'ignored';

/**
 * Runs one durable pull consumer: validates each message, applies its handler and records the event id
 * in the inbox in one transaction, and acks only after that commit. A duplicate is acked without effect;
 * a transient failure is nak'ed with a growing delay; an invalid payload, a permanent failure or a
 * message past `maxDeliver` is copied to the dead-letter subject with its reason and then terminated.
 */
export class EventConsumer {
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private lastActivity = Date.now();

  constructor(
    private readonly definition: ConsumerDefinition,
    private readonly handlers: ReadonlyMap<EventType, EventHandlerFn>,
    private readonly orm: MikroORM,
    private readonly js: JetStreamClient,
    private readonly outbox: OutboxWriter,
    private readonly topology: Topology,
    private readonly logger: Logger,
    private readonly options: EventConsumerOptions,
  ) {}

  get durable(): string {
    return this.definition.durable;
  }

  /** True while the consumer is pulling messages. */
  get running(): boolean {
    return this.messages !== null;
  }

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.topology.streamName(this.definition.stream), this.durable);
    this.messages = await consumer.consume({ max_messages: this.options.maxInFlight });
    this.loop = this.pump(this.messages);
  }

  /** Stops pulling, lets in-flight handlers finish (and ack), then returns. */
  async stop(): Promise<void> {
    const messages = this.messages;
    this.messages = null;
    if (messages) {
      await messages.close();
    }
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Pending + unacknowledged messages of this consumer on the server. */
  async lag(): Promise<number> {
    const consumer = await this.js.consumers.get(this.topology.streamName(this.definition.stream), this.durable);
    const info = await consumer.info(true);
    const lag = info.num_pending + info.num_ack_pending;
    messagingMetrics.consumerLag.set({ consumer: this.durable }, lag);
    return lag;
  }

  private async pump(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      this.lastActivity = Date.now();
      while (this.inFlight.size >= this.options.maxInFlight) {
        await Promise.race(this.inFlight);
      }
      const work = this.process(msg)
        .catch((error: unknown) => {
          // Settling failed (for example the connection died): the server redelivers after ack_wait.
          this.logger.error({ err: error, consumer: this.durable, subject: msg.subject }, 'message not settled');
        })
        .finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    if (msg.info.redelivered) {
      messagingMetrics.redelivered.inc({ consumer: this.durable });
    }
    let event: AnyEvent;
    try {
      event = parseEvent(JSON.parse(msg.string()));
    } catch (error) {
      const detail = error instanceof InvalidEventError ? error.issues.join('; ') : String(error);
      return this.deadLetter(msg, 'invalid_payload', detail);
    }
    if (msg.info.deliveryCount > this.options.maxDeliver) {
      return this.deadLetter(msg, 'max_deliver_exceeded', 'delivered too often without an ack');
    }
    const handler = this.handlers.get(event.type);
    if (!handler) {
      messagingMetrics.consumed.inc({ consumer: this.durable, outcome: 'ignored' });
      msg.ack();
      return;
    }
    await this.handleTraced(msg, event, handler);
  }

  private async handleTraced(msg: JsMsg, event: AnyEvent, handler: EventHandlerFn): Promise<void> {
    const parent = extractContext(msg.headers);
    const producer = trace.getSpanContext(parent);
    const span = getTracer().startSpan(
      `process ${event.type}`,
      {
        kind: SpanKind.CONSUMER,
        links: producer ? [{ context: producer }] : [],
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.destination.name': msg.subject,
          'messaging.consumer.group.name': this.durable,
          'messaging.message.id': event.id,
          'messaging.nats.delivery_count': msg.info.deliveryCount,
          'shelfwatch.tenant_id': event.tenantId,
          'shelfwatch.correlation_id': event.correlationId,
        },
      },
      parent,
    );
    const heartbeat = setInterval(() => msg.working(), Math.max(1_000, this.options.ackWaitMs / 2));
    try {
      const outcome = await context.with(trace.setSpan(parent, span), () => this.apply(msg, event, handler));
      await this.options.afterCommit?.(event);
      msg.ack();
      span.addEvent('ack', { outcome });
      messagingMetrics.consumed.inc({ consumer: this.durable, outcome });
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR });
      await this.fail(msg, error);
    } finally {
      clearInterval(heartbeat);
      span.end();
    }
  }

  /** Inbox row first (fails fast on a duplicate), then the handler, in one transaction. */
  private async apply(msg: JsMsg, event: AnyEvent, handler: EventHandlerFn): Promise<Outcome> {
    return this.orm.em.fork().transactional(async (em) => {
      const inserted = await em.execute<{ affectedRows: number }>(
        `insert into "${this.options.schema}".inbox (consumer, event_id, event_type) values (?, ?, ?)
           on conflict do nothing`,
        [this.durable, event.id, event.type],
        'run',
      );
      if (inserted.affectedRows === 0) {
        return 'duplicate';
      }
      const ctx: HandlerContext = {
        em,
        deliveryCount: msg.info.deliveryCount,
        emit: (type, data, aggregateKey) =>
          this.outbox.append(em, { type, data, origin: causedBy(event), aggregateKey }),
      };
      await handler(event, ctx);
      return 'handled';
    });
  }

  private async fail(msg: JsMsg, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentHandlerError) {
      return this.deadLetter(msg, 'permanent_failure', `${error.reason}: ${message}`);
    }
    if (msg.info.deliveryCount >= this.options.maxDeliver) {
      return this.deadLetter(msg, 'max_deliver_exceeded', message);
    }
    const delay = redeliveryDelayMs(
      msg.info.deliveryCount,
      this.options.redeliveryBaseMs,
      this.options.maxRedeliveryDelayMs,
    );
    this.logger.warn(
      { err: error, consumer: this.durable, subject: msg.subject, delivery: msg.info.deliveryCount, delayMs: delay },
      'handler failed; will retry',
    );
    messagingMetrics.consumed.inc({ consumer: this.durable, outcome: 'retried' });
    msg.nak(delay);
  }

  private async deadLetter(msg: JsMsg, reason: DeadLetterReason, error: string): Promise<void> {
    try {
      await publishDeadLetter(this.js, this.topology, this.durable, msg, reason, error);
    } catch (publishError) {
      // Never terminate what could not be parked: retry later.
      this.logger.error({ err: publishError, consumer: this.durable }, 'dead-lettering failed; will retry');
      msg.nak(this.options.redeliveryBaseMs);
      return;
    }
    msg.term(reason);
    messagingMetrics.deadLettered.inc({ consumer: this.durable, reason });
    messagingMetrics.consumed.inc({ consumer: this.durable, outcome: 'dead_lettered' });
    this.logger.error(
      { consumer: this.durable, subject: msg.subject, sequence: msg.info.streamSequence, reason, error },
      'message dead-lettered',
    );
  }

  /** Milliseconds since the consumer last received a message (liveness diagnostics). */
  get idleMs(): number {
    return Date.now() - this.lastActivity;
  }
}
