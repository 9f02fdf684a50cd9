import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventType } from '@shelfwatch/contracts';
import { DeadLetterReplayer, deadLetterReplaySubject } from './dead-letter-replay';
import { DeadLetterStore } from './dead-letter-store';
import { checkDedupHorizons } from './dedup-horizons';
import { EventConsumer } from './event-consumer';
import { defaultConsumerOptions } from './message-processor';
import { EventHandlerFn } from './event-handler';
import { HandlerDiscovery } from './handler-discovery';
import { InboxPruner, defaultInboxPrunerOptions } from './inbox-pruner';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsLink } from './nats-connection';
import { OutboxRelay, defaultRelayOptions } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { defaultConsumerSettings, defaultStreamSettings, provisionConsumer, provisionStreams } from './provisioning';
import { RpcServer } from './rpc';
import { START_RETRY_WINDOW_MS, untilNatsAnswers } from './start-retry';
import { Topology, consumersFor } from './topology';

const LAG_POLL_MS = 15_000;

/**
 * Starts and stops a service's messaging: streams (in development), its durable consumers, the outbox
 * relay and the request/reply handlers, with `<service>.dead-letters.replay` for a service with consumers. Shutdown order: stop pulling and finish in-flight handlers,
 * stop the relay after its batch, stop answering requests, then drain NATS (flushing acks).
 */
@Injectable()
export class MessagingService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly consumers: EventConsumer[] = [];
  private relay: OutboxRelay | null = null;
  private pruner: InboxPruner | null = null;
  private rpcServer: RpcServer | null = null;
  private started = false;
  private lagTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly link: NatsLink,
    private readonly topology: Topology,
    private readonly outbox: OutboxWriter,
    private readonly orm: MikroORM,
    private readonly discovery: HandlerDiscovery,
  ) {}

  get js(): JetStreamClient {
    return jetstream(this.link.connection);
  }

  /** Readiness: connected to NATS and every consumer pulling. */
  health(): { nats: boolean; consumers: Record<string, boolean> } {
    const consumers = Object.fromEntries(this.consumers.map((consumer) => [consumer.durable, consumer.running]));
    return { nats: this.link.isConnected, consumers };
  }

  /** Pending + unacknowledged messages per consumer. */
  async lag(): Promise<Record<string, number>> {
    const entries = await Promise.all(this.consumers.map(async (c) => [c.durable, await c.lag()] as const));
    return Object.fromEntries(entries);
  }

  /**
   * Declares streams (in development) and consumers, starts pulling, relaying and answering requests. Each
   * NATS step is retried while NATS restarts or JetStream is not up yet (see {@link untilNatsAnswers}): the
   * service is not listening meanwhile, and exits only if NATS stays away for {@link START_RETRY_WINDOW_MS}.
   */
  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.checkedHandlers();
    const streamSettings = { ...defaultStreamSettings, ...this.options.streams };
    const relayOptions = { ...defaultRelayOptions, ...this.options.relay, schema: this.options.schema };
    const inboxOptions = { ...defaultInboxPrunerOptions, ...this.options.inbox, schema: this.options.schema };
    checkDedupHorizons({
      duplicateWindowMs: streamSettings.duplicateWindowMs,
      relayMaxBackoffMs: relayOptions.maxBackoffMs,
      inboxRetainMs: inboxOptions.retainMs,
    });
    const deadline = Date.now() + START_RETRY_WINDOW_MS;
    const step = <T>(name: string, call: () => Promise<T>): Promise<T> =>
      untilNatsAnswers(name, call, this.options.logger, deadline);
    const jsm = await step('jetstream', () => jetstreamManager(this.link.connection));
    if (this.options.provisionStreams) {
      await step('provision streams', () => provisionStreams(jsm, this.topology, streamSettings));
    }
    const settings = { ...defaultConsumerSettings, ...this.options.consumerSettings };
    const consumerOptions = {
      ...defaultConsumerOptions,
      ackWaitMs: settings.ackWaitMs,
      ...this.options.consumer,
      schema: this.options.schema,
    };
    for (const definition of consumersFor(this.options.service, this.options.handles)) {
      await step(`provision consumer ${definition.durable}`, () =>
        provisionConsumer(jsm, this.topology, definition, settings),
      );
      const own = new Map([...handlers].filter(([type]) => definition.types.includes(type)));
      const consumer = new EventConsumer(
        definition,
        own,
        this.orm,
        this.js,
        this.outbox,
        this.topology,
        this.options.logger,
        consumerOptions,
      );
      await step(`start consumer ${definition.durable}`, () => consumer.start());
      this.consumers.push(consumer);
    }
    this.relay = new OutboxRelay(this.orm, this.js, this.topology, this.options.logger, relayOptions);
    await this.relay.start();
    this.pruner = new InboxPruner(this.orm, this.options.logger, inboxOptions);
    this.pruner.start();
    this.rpcServer = new RpcServer(this.link.connection, this.topology, this.options.service, this.options.logger);
    for (const [subject, handler] of this.discovery.rpcHandlers()) {
      this.rpcServer.serve(subject, handler);
    }
    if (this.consumers.length > 0) {
      const processors = new Map(this.consumers.map((consumer) => [consumer.durable, consumer.processor]));
      const replayer = new DeadLetterReplayer(new DeadLetterStore(jsm, this.topology), this.topology, processors);
      this.rpcServer.serve(deadLetterReplaySubject(this.options.service), (payload) => replayer.answer(payload));
    }
    this.started = true;
    // Keeps the consumer-lag gauge current for /metrics; a failed poll (NATS down) is reported by readiness.
    this.lagTimer = setInterval(() => void this.lag().catch(() => undefined), LAG_POLL_MS);
    this.lagTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) {
      return;
    }
    this.started = false;
    clearInterval(this.lagTimer);
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.relay?.stop();
    await this.pruner?.stop();
    await this.rpcServer?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.link.drain();
  }

  private checkedHandlers(): Map<EventType, EventHandlerFn> {
    const handlers = this.discovery.eventHandlers();
    const declared = new Set(this.options.handles);
    const missing = [...declared].filter((type) => !handlers.has(type));
    const undeclared = [...handlers.keys()].filter((type) => !declared.has(type));
    if (missing.length > 0 || undeclared.length > 0) {
      throw new Error(
        `${this.options.service}: handlers do not match its declared events (missing: ${missing.join(', ') || 'none'}; ` +
          `undeclared: ${undeclared.join(', ') || 'none'})`,
      );
    }
    return handlers;
  }
}
