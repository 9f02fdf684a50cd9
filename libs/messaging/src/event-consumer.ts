import { MikroORM } from '@mikro-orm/postgresql';
import { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { EventType } from '@shelfwatch/contracts';
import { Logger } from 'pino';
import { BatchProcessor } from './batch-processor';
import { KeyLanes } from './key-lanes';
import { EventHandlerFn } from './event-handler';
import { Accepted, EventConsumerOptions, MessageProcessor } from './message-processor';
import { messagingMetrics } from './messaging-metrics';
import { OutboxWriter } from './outbox-writer';
import { ConsumerDefinition, Topology } from './topology';

type WindowOptions = Pick<EventConsumerOptions, 'batchSize' | 'maxInFlight' | 'orderingKey'>;

/** Transactions a consumer with these options applies at once: in batch mode without an ordering key, one. */
export function consumerAppliers(options: WindowOptions): number {
  return options.batchSize > 1 && !options.orderingKey ? 1 : options.maxInFlight;
}

/**
 * Messages a consumer with these options holds at once: what its appliers take together (one batch, or
 * `maxInFlight` messages or batches). The server's `max_ack_pending` must leave room for it, or the appliers wait for
 * messages the server will not send ({@link MessagingService} provisions at least this).
 */
export function consumerWindow(options: WindowOptions): number {
  return consumerAppliers(options) * options.batchSize;
}

/**
 * Runs one durable pull consumer. With `batchSize` 1 each message gets its own transaction and up to
 * `maxInFlight` run at once; with a larger `batchSize`, the messages already buffered are applied
 * together in one transaction (see {@link BatchProcessor}). With an `orderingKey`, events of one key are applied
 * one transaction after another in delivery order and different keys in parallel ({@link KeyLanes}). Either way:
 * inbox row and effects commit together, the ack follows the commit, duplicates are acked without effect.
 */
export class EventConsumer {
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private readonly single: MessageProcessor;
  private readonly batch: BatchProcessor;
  private readonly lanes = new KeyLanes<Accepted>();
  /** Numbers messages without an ordering key in one-message mode: each is its own key, so none waits for another. */
  private sequence = 0;
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly definition: ConsumerDefinition,
    handlers: ReadonlyMap<EventType, EventHandlerFn>,
    orm: MikroORM,
    private readonly js: JetStreamClient,
    outbox: OutboxWriter,
    private readonly topology: Topology,
    private readonly logger: Logger,
    private readonly options: EventConsumerOptions,
  ) {
    this.single = new MessageProcessor(definition.durable, handlers, orm, js, outbox, topology, logger, options);
    this.batch = new BatchProcessor(this.single, logger);
  }

  get durable(): string {
    return this.definition.durable;
  }

  /** Applies this consumer's messages one at a time; a replayed dead letter goes through it too. */
  get processor(): MessageProcessor {
    return this.single;
  }

  /** True while the consumer is pulling messages. */
  get running(): boolean {
    return this.messages !== null;
  }

  async start(): Promise<void> {
    const consumer = await this.js.consumers.get(this.topology.streamName(this.definition.stream), this.durable);
    this.messages = await consumer.consume({ max_messages: consumerWindow(this.options) });
    this.loop = this.pump(this.messages);
  }

  /** Stops pulling, lets the messages already received be applied (and acked), then returns. */
  async stop(): Promise<void> {
    const messages = this.messages;
    this.messages = null;
    if (messages) {
      await messages.close();
    }
    await this.loop;
  }

  /** Pending + unacknowledged messages of this consumer on the server. */
  async lag(): Promise<number> {
    const consumer = await this.js.consumers.get(this.topology.streamName(this.definition.stream), this.durable);
    const info = await consumer.info(true);
    const lag = info.num_pending + info.num_ack_pending;
    messagingMetrics.consumerPending.set({ consumer: this.durable }, lag);
    return lag;
  }

  /**
   * The key a message waits on: its ordering key; without one, a single lane in batch mode, none otherwise. A key
   * function that throws must not stop the consumer (the pump would end and nothing would be pulled again): the
   * message is logged and applied under a key of its own, in no order.
   */
  private keyOf(accepted: Accepted): string {
    if (this.options.orderingKey) {
      try {
        return this.options.orderingKey(accepted.event);
      } catch (error) {
        this.logger.error(
          { err: error, consumer: this.durable, eventId: accepted.event.id },
          'ordering key failed; message applied without ordering',
        );
        return `#${this.sequence++}`;
      }
    }
    return this.options.batchSize > 1 ? '' : `#${this.sequence++}`;
  }

  /**
   * Triages each delivery as it arrives and queues it by key; the appliers take batches off the queue. Natural
   * batching: while a batch commits, the next messages gather and the next batch takes all it may (up to
   * `batchSize`), so under light load batches are small and latency stays low, under heavy load the commit cost
   * is shared. Pulling waits while the queue holds as much as the appliers take at once: a queued message is not
   * yet kept alive by a heartbeat.
   */
  private async pump(messages: ConsumerMessages): Promise<void> {
    const appliers = Array.from({ length: consumerAppliers(this.options) }, () => this.applyBatches());
    const limit = consumerWindow(this.options);
    for await (const msg of messages) {
      const accepted = await this.guard(this.single.triage(msg), msg);
      if (accepted) {
        this.lanes.push(accepted, this.keyOf(accepted));
        this.signal();
      }
      while (this.lanes.size >= limit) {
        await this.waitFor();
      }
    }
    this.closed = true;
    this.signal();
    await Promise.all(appliers);
  }

  private async applyBatches(): Promise<void> {
    for (;;) {
      const { items, keys } = this.lanes.take(this.options.batchSize);
      const [first] = items;
      if (!first) {
        if (this.closed && this.lanes.size === 0) {
          return;
        }
        await this.waitFor();
        continue;
      }
      this.signal();
      try {
        await this.guard(this.options.batchSize > 1 ? this.batch.process(items) : this.single.apply(first), first.msg);
      } finally {
        this.lanes.release(keys);
        this.signal();
      }
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private waitFor(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  private guard<T>(work: Promise<T>, msg: JsMsg): Promise<T | undefined> {
    return work.catch((error: unknown) => {
      // Settling failed (for example the connection died): the server redelivers after ack_wait.
      this.logger.error({ err: error, consumer: this.durable, subject: msg.subject }, 'message not settled');
      return undefined;
    });
  }
}
