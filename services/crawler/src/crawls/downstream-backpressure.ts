import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { NatsLink, Topology, durableName } from '@shelfwatch/messaging';
import { counter, gauge } from '@shelfwatch/observability';
import { WatchedConsumer } from '@shelfwatch/platform';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Logger } from 'pino';
import { DownstreamLag, crawlsPaused, largestLag } from './downstream-backpressure.policy';

/** Metric names, so tests and dashboards do not retype them. */
export const BACKPRESSURE_METRICS = {
  pending: 'shelfwatch_crawl_backpressure_pending_messages',
  paused: 'shelfwatch_crawl_backpressure_paused',
  readFailures: 'shelfwatch_crawl_backpressure_read_failures_total',
} as const;

const metrics = {
  pending: gauge(
    BACKPRESSURE_METRICS.pending,
    "Lag of a downstream consumer the crawler watches, as it last read it: its stream's messages pending or unacknowledged",
    ['consumer'],
  ),
  paused: gauge(BACKPRESSURE_METRICS.paused, '1 while crawls wait because ranking or alerting fall behind, else 0'),
  readFailures: counter(
    BACKPRESSURE_METRICS.readFailures,
    "Reads of a watched consumer's lag that failed (NATS away, consumer not declared yet); they never pause crawls",
    ['consumer'],
  ),
};

/** Reads how far another service's durable consumer is behind. */
export interface ConsumerLagReader {
  /** Pending plus unacknowledged messages of `watched`'s consumer; rejects when it cannot be read. */
  pending(watched: WatchedConsumer): Promise<number>;
}

export const CONSUMER_LAG_READER = Symbol('CONSUMER_LAG_READER');

/** {@link ConsumerLagReader} from JetStream's consumer info, which every replica reads alike. */
export class JetStreamConsumerLag implements ConsumerLagReader {
  private readonly jsm: Promise<JetStreamManager>;

  constructor(
    link: NatsLink,
    private readonly topology: Topology,
  ) {
    // No API check at creation: a manager that never fails to be made; each read fails on its own instead.
    this.jsm = jetstreamManager(link.connection, { checkAPI: false });
  }

  async pending(watched: WatchedConsumer): Promise<number> {
    const info = await (
      await this.jsm
    ).consumers.info(this.topology.streamName(watched.stream), durableName(watched.service, watched.stream));
    return info.num_pending + info.num_ack_pending;
  }
}

/** What {@link DownstreamBackpressure} watches and when it pauses. */
export interface BackpressureOptions {
  watches: readonly WatchedConsumer[];
  /** Pause above this lag, resume at half of it; 0 turns back-pressure off (nothing is read). */
  maxPending: number;
  pollMs: number;
  logger: Logger;
}

export const BACKPRESSURE_OPTIONS = Symbol('BACKPRESSURE_OPTIONS');

/**
 * Back-pressure from the services downstream of the crawls: every `pollMs` it reads the lag of the watched
 * consumers (ranking's of CRAWL, alerting's of RANKING) from JetStream, so every replica sees the same lag and
 * decides alike without talking to the others. While {@link paused}, the crawl loops claim and schedule nothing
 * and crawls wait in Postgres. A lag that cannot be read never pauses; it is logged when reading starts and stops
 * failing, not at every poll.
 */
@Injectable()
export class DownstreamBackpressure implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private pausedNow = false;
  /** Consumers whose last read failed, so that a failure is logged once, when it starts. */
  private readonly unreadable = new Set<string>();
  private readonly loop: BackgroundLoop | null;

  constructor(
    @Inject(CONSUMER_LAG_READER) private readonly reader: ConsumerLagReader,
    @Inject(BACKPRESSURE_OPTIONS) private readonly options: BackpressureOptions,
  ) {
    metrics.paused.set(0);
    this.loop =
      options.maxPending === 0 || options.watches.length === 0
        ? null
        : new BackgroundLoop({
            name: 'crawl back-pressure',
            intervalMs: options.pollMs,
            body: () => this.poll(),
            logger: options.logger,
          });
  }

  /** True while crawls wait for ranking or alerting to catch up. */
  get paused(): boolean {
    return this.pausedNow;
  }

  onApplicationBootstrap(): void {
    this.loop?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
  }

  /** Reads every watched consumer's lag and pauses or resumes crawls on the largest. */
  async poll(): Promise<void> {
    const lags = await Promise.all(this.options.watches.map((watched) => this.read(watched)));
    const largest = largestLag(lags);
    const paused = crawlsPaused(this.pausedNow, largest?.pending ?? 0, this.options.maxPending);
    if (paused !== this.pausedNow) {
      const fields = {
        consumer: largest?.consumer,
        pending: largest?.pending ?? null,
        maxPending: this.options.maxPending,
      };
      if (paused) {
        this.options.logger.warn(fields, 'crawls paused: a downstream consumer is behind');
      } else {
        this.options.logger.info(fields, 'crawls resumed: downstream consumers caught up');
      }
    }
    this.pausedNow = paused;
    metrics.paused.set(paused ? 1 : 0);
  }

  private async read(watched: WatchedConsumer): Promise<DownstreamLag> {
    const consumer = durableName(watched.service, watched.stream);
    try {
      const pending = await this.reader.pending(watched);
      metrics.pending.set({ consumer }, pending);
      if (this.unreadable.delete(consumer)) {
        this.options.logger.info({ consumer, pending }, 'crawl back-pressure reads the consumer lag again');
      }
      return { consumer, pending };
    } catch (error) {
      metrics.readFailures.inc({ consumer });
      if (!this.unreadable.has(consumer)) {
        this.unreadable.add(consumer);
        this.options.logger.warn(
          { consumer, err: error },
          'crawl back-pressure cannot read the consumer lag: crawls go on as if it were none',
        );
      }
      return { consumer, pending: null };
    }
  }
}
