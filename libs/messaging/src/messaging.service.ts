import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { JetStreamClient, JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventType } from '@shelfwatch/contracts';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { DeadLetterReplayer, deadLetterReplaySubject } from './dead-letter-replay';
import { DeadLetterStore } from './dead-letter-store';
import { checkDedupHorizons } from './dedup-horizons';
import { EventConsumer, consumerWindow } from './event-consumer';
import { defaultConsumerOptions } from './message-processor';
import { EventHandlerFn } from './event-handler';
import { InboxPruner, defaultInboxPrunerOptions } from './inbox-pruner';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsLink } from './nats-connection';
import { OutboxRelay, defaultRelayOptions } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { defaultConsumerSettings, defaultStreamSettings, provisionConsumer, provisionStreams } from './provisioning';
import { RpcHandlerFn, RpcServer } from './rpc';
import { START_RETRY_WINDOW_MS, untilNatsAnswers } from './start-retry';
import { Topology, consumersFor } from './topology';

const LAG_POLL_MS = 15_000;

/**
 * Starts and stops a service's messaging: streams (in development) and the outbox relay at bootstrap; its
 * durable consumers and request/reply handlers when the JetStream transport listens ({@link startHandlers},
 * called by `JetStreamServer` with the service's `@EventPattern` / `@MessagePattern` handlers), with
 * `<service>.dead-letters.replay` for a service with consumers. Shutdown order: stop pulling and finish
 * in-flight handlers, stop the relay after its batch, stop answering requests, then drain NATS (flushing acks).
 */
@Injectable()
export class MessagingService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly consumers: EventConsumer[] = [];
  private relay: OutboxRelay | null = null;
  private pruner: InboxPruner | null = null;
  private rpcServer: RpcServer | null = null;
  private started = false;
  private listening = false;
  private jsm: JetStreamManager | null = null;
  /** Until when a NATS step at start is retried (see {@link untilNatsAnswers}). */
  private deadline = 0;
  /** Keeps the consumer-lag gauge current for /metrics; a failed poll (NATS down) is reported by readiness. */
  private readonly lagPoll: BackgroundLoop;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly link: NatsLink,
    private readonly topology: Topology,
    private readonly outbox: OutboxWriter,
    private readonly orm: MikroORM,
  ) {
    this.lagPoll = new BackgroundLoop({
      name: 'consumer lag poll',
      intervalMs: LAG_POLL_MS,
      body: () =>
        this.lag().then(
          () => undefined,
          () => undefined,
        ),
      logger: options.logger,
      delayFirst: true,
    });
  }

  get js(): JetStreamClient {
    return jetstream(this.link.connection);
  }

  /** Readiness: connected to NATS, the transport listening, and every consumer pulling. */
  health(): { nats: boolean; listening: boolean; consumers: Record<string, boolean> } {
    const consumers = Object.fromEntries(this.consumers.map((consumer) => [consumer.durable, consumer.running]));
    return { nats: this.link.isConnected, listening: this.listening, consumers };
  }

  /** Pending + unacknowledged messages per consumer. */
  async lag(): Promise<Record<string, number>> {
    const entries = await Promise.all(this.consumers.map(async (c) => [c.durable, await c.lag()] as const));
    return Object.fromEntries(entries);
  }

  /**
   * Declares streams (in development), starts relaying and pruning the inbox. Each NATS step is retried while
   * NATS restarts or JetStream is not up yet (see {@link untilNatsAnswers}): the service is not listening
   * meanwhile, and exits only if NATS stays away for {@link START_RETRY_WINDOW_MS}.
   */
  async onApplicationBootstrap(): Promise<void> {
    const streamSettings = { ...defaultStreamSettings, ...this.options.streams };
    const relayOptions = { ...defaultRelayOptions, ...this.options.relay, schema: this.options.schema };
    const inboxOptions = { ...defaultInboxPrunerOptions, ...this.options.inbox, schema: this.options.schema };
    checkDedupHorizons({
      duplicateWindowMs: streamSettings.duplicateWindowMs,
      relayMaxBackoffMs: relayOptions.maxBackoffMs,
      inboxRetainMs: inboxOptions.retainMs,
    });
    this.deadline = Date.now() + START_RETRY_WINDOW_MS;
    const jsm = await this.step('jetstream', () => jetstreamManager(this.link.connection));
    this.jsm = jsm;
    if (this.options.provisionStreams) {
      await this.step('provision streams', () => provisionStreams(jsm, this.topology, streamSettings));
    }
    const relay = new OutboxRelay(this.orm, this.js, this.topology, this.options.logger, relayOptions);
    this.relay = relay;
    // Backing off while NATS is down, the relay publishes what waited as soon as the connection is back.
    this.link.onReconnect(() => relay.resume());
    await relay.start();
    this.pruner = new InboxPruner(this.orm, this.options.logger, inboxOptions);
    this.pruner.start();
    this.started = true;
  }

  /**
   * Declares this service's durable consumers and starts them with `events` (one handler per event type of the
   * manifest, else boot fails), and answers `requests` in the service's queue group. Called once by the
   * transport's `listen`, after bootstrap.
   */
  async startHandlers(
    events: ReadonlyMap<EventType, EventHandlerFn>,
    requests: ReadonlyMap<string, RpcHandlerFn>,
  ): Promise<void> {
    const jsm = this.jsm;
    if (!this.started || jsm === null || this.listening) {
      throw new Error(`${this.options.service}: the transport starts once, after the application bootstrapped`);
    }
    const handlers = this.checkedHandlers(events);
    const ackWaitMs = this.options.consumerSettings?.ackWaitMs ?? defaultConsumerSettings.ackWaitMs;
    const consumerOptions = {
      ...defaultConsumerOptions,
      ackWaitMs,
      ...this.options.consumer,
      schema: this.options.schema,
    };
    const settings = {
      ackWaitMs,
      maxAckPending:
        this.options.consumerSettings?.maxAckPending ??
        Math.max(defaultConsumerSettings.maxAckPending, consumerWindow(consumerOptions)),
    };
    for (const definition of consumersFor(this.options.service, this.options.handles)) {
      await this.step(`provision consumer ${definition.durable}`, () =>
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
      await this.step(`start consumer ${definition.durable}`, () => consumer.start());
      this.consumers.push(consumer);
    }
    this.rpcServer = new RpcServer(this.link.connection, this.topology, this.options.service, this.options.logger);
    for (const [subject, handler] of requests) {
      this.rpcServer.serve(subject, handler);
    }
    if (this.consumers.length > 0) {
      const processors = new Map(this.consumers.map((consumer) => [consumer.durable, consumer.processor]));
      const replayer = new DeadLetterReplayer(new DeadLetterStore(jsm, this.topology), this.topology, processors);
      this.rpcServer.serve(deadLetterReplaySubject(this.options.service), (payload) => replayer.answer(payload));
    }
    // The subscriptions reach the server before the transport says it listens: a request sent next is answered.
    await this.step('register request handlers', () => this.link.connection.flush());
    this.listening = true;
    this.lagPoll.start();
  }

  /** Stops pulling (in-flight handlers finish and ack) and answering requests; the relay keeps running. */
  async stopHandlers(): Promise<void> {
    if (!this.listening) {
      return;
    }
    this.listening = false;
    await this.lagPoll.stop();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.rpcServer?.stop();
  }

  private step<T>(name: string, call: () => Promise<T>): Promise<T> {
    return untilNatsAnswers(name, call, this.options.logger, this.deadline);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) {
      return;
    }
    this.started = false;
    await this.stopHandlers();
    await this.relay?.stop();
    await this.pruner?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.link.drain();
  }

  private checkedHandlers(handlers: ReadonlyMap<EventType, EventHandlerFn>): ReadonlyMap<EventType, EventHandlerFn> {
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
