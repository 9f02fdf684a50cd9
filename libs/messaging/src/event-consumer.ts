import { MikroORM } from '@mikro-orm/postgresql';
import { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { EventType } from '@shelfwatch/contracts';
import { Logger } from 'pino';
import { BatchProcessor } from './batch-processor';
import { EventHandlerFn } from './event-handler';
import { EventConsumerOptions, MessageProcessor } from './message-processor';
import { messagingMetrics } from './messaging-metrics';
import { OutboxWriter } from './outbox-writer';
import { ConsumerDefinition, Topology } from './topology';

/**
 * Runs one durable pull consumer. With `batchSize` 1 each message gets its own transaction and up to
 * `maxInFlight` run at once; with a larger `batchSize`, the messages already buffered are applied
 * together in one transaction (see {@link BatchProcessor}). Either way: inbox row and effects commit
 * together, the ack follows the commit, duplicates are acked without effect.
 */
export class EventConsumer {
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly single: MessageProcessor;
  private readonly batch: BatchProcessor;
  private pending: JsMsg[] = [];
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
    const buffer = this.options.batchSize > 1 ? this.options.batchSize : this.options.maxInFlight;
    this.messages = await consumer.consume({ max_messages: buffer });
    this.loop = this.options.batchSize > 1 ? this.pumpBatches(this.messages) : this.pump(this.messages);
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
    messagingMetrics.consumerPending.set({ consumer: this.durable }, lag);
    return lag;
  }

  private async pump(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      while (this.inFlight.size >= this.options.maxInFlight) {
        await Promise.race(this.inFlight);
      }
      const work = this.guard(this.single.process(msg), msg).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    }
  }

  /**
   * Natural batching: while one batch commits, the next messages gather; the next batch takes all of
   * them (up to `batchSize`). Under light load batches are small and latency stays low; under heavy
   * load batches grow and the commit cost is shared.
   */
  private async pumpBatches(messages: ConsumerMessages): Promise<void> {
    const worker = this.applyBatches();
    for await (const msg of messages) {
      this.pending.push(msg);
      this.signal();
      while (this.pending.length >= this.options.batchSize * 2) {
        await this.waitFor();
      }
    }
    this.closed = true;
    this.signal();
    await worker;
  }

  private async applyBatches(): Promise<void> {
    for (;;) {
      if (this.pending.length === 0) {
        if (this.closed) {
          return;
        }
        await this.waitFor();
        continue;
      }
      const batch = this.pending.splice(0, this.options.batchSize);
      this.signal();
      const [first] = batch;
      if (first) {
        await this.guard(this.batch.process(batch), first);
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

  private guard(work: Promise<void>, msg: JsMsg): Promise<void> {
    return work.catch((error: unknown) => {
      // Settling failed (for example the connection died): the server redelivers after ack_wait.
      this.logger.error({ err: error, consumer: this.durable, subject: msg.subject }, 'message not settled');
    });
  }
}
