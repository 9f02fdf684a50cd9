import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextFromTraceparent, getTracer, injectContext } from '@shelfwatch/observability';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Client } from 'pg';
import { Logger } from 'pino';
import { RELAY_PUBLISH_TIMEOUT_MS } from './dedup-horizons';
import { messagingMetrics } from './messaging-metrics';
import { outboxChannel } from './messaging-tables';
import { Topology } from './topology';

interface OutboxRow {
  position: string;
  event_id: string;
  event_type: string;
  aggregate_key: string;
  payload: string;
  traceparent: string | null;
  tracestate: string | null;
}

/** Relay tuning. */
export interface OutboxRelayOptions {
  schema: string;
  batchSize: number;
  /** Poll interval when idle; LISTEN/NOTIFY usually wakes the relay sooner. */
  pollIntervalMs: number;
  /** Longest pause after consecutive failures (NATS down): back-off doubles up to this. */
  maxBackoffMs: number;
  /** Published rows older than this are pruned; well beyond JetStream's duplicate window. */
  retainPublishedMs: number;
  /** Test seam: runs after a batch was published and before it is marked sent (a crash point). */
  afterPublish?: () => Promise<void>;
}

export const defaultRelayOptions: Omit<OutboxRelayOptions, 'schema'> = {
  batchSize: 500,
  pollIntervalMs: 1_000,
  maxBackoffMs: 5_000,
  retainPublishedMs: 24 * 3_600_000,
};

/**
 * Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = event id, then marks them sent.
 *
 * 1. One relay per service publishes at a time (transaction-scoped advisory lock), so replicas never
 *    race each other and reorder events.
 * 2. Every unpublished row is a candidate (no checkpoint), so rows that commit out of order are never skipped.
 * 3. Rows of one aggregate are published one after another, stopping at the first failure; different
 *    aggregates go in parallel. A failed row is retried first next time, so per-aggregate order holds.
 * 4. A crash between publish and mark re-publishes the same ids; JetStream drops them as duplicates
 *    within its window and consumers' inboxes absorb anything later.
 */
export class OutboxRelay {
  private readonly loop: BackgroundLoop;
  private listener: Client | null = null;
  private lastPrune = 0;

  constructor(
    private readonly orm: MikroORM,
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {
    // A full batch is followed by the next at once; a failure backs off 200 ms, 400 ms, … up to maxBackoffMs.
    this.loop = new BackgroundLoop({
      name: 'outbox relay',
      intervalMs: options.pollIntervalMs,
      body: async () => {
        const count = await this.relayOnce();
        await this.pruneAndMeasure();
        return count >= this.options.batchSize;
      },
      logger,
      backoff: { baseMs: 100, maxMs: options.maxBackoffMs },
    });
  }

  /** Starts relaying in the background until {@link stop}; a commit's NOTIFY ends the pause early. */
  async start(): Promise<void> {
    await this.listen();
    this.loop.start();
  }

  /** Finishes the current batch and stops. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Publishes at most one batch; returns how many rows were published (0 when another relay holds the lock). */
  async relayOnce(): Promise<number> {
    return inTransaction(this.orm, async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>(
        `select pg_try_advisory_xact_lock(hashtext(?)) as locked`,
        [`${this.options.schema}.outbox`],
      );
      if (!lock?.locked) {
        return 0;
      }
      const rows = await tx.execute<OutboxRow[]>(
        `select position, event_id, event_type, aggregate_key, payload, traceparent, tracestate
           from "${this.options.schema}".outbox where published_at is null order by position limit ?`,
        [this.options.batchSize],
      );
      const { published, failures } = await this.publishAll(rows);
      await this.options.afterPublish?.();
      await this.mark(tx, published, failures);
      messagingMetrics.published.inc({ schema: this.options.schema }, published.length);
      return published.length;
    });
  }

  private async publishAll(rows: OutboxRow[]): Promise<{ published: string[]; failures: Map<string, string> }> {
    const chains = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      chains.set(row.aggregate_key, [...(chains.get(row.aggregate_key) ?? []), row]);
    }
    const published: string[] = [];
    const failures = new Map<string, string>();
    await Promise.all(
      [...chains.values()].map(async (chain) => {
        for (const row of chain) {
          try {
            await this.publish(row);
            published.push(row.position);
          } catch (error) {
            failures.set(row.position, error instanceof Error ? error.message : String(error));
            return; // later rows of this aggregate wait for this one
          }
        }
      }),
    );
    return { published, failures };
  }

  private async publish(row: OutboxRow): Promise<void> {
    const subject = this.topology.subject(row.event_type);
    const span = getTracer().startSpan(
      `publish ${row.event_type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'publish',
          'messaging.destination.name': subject,
          'messaging.message.id': row.event_id,
        },
      },
      contextFromTraceparent(row.traceparent, row.tracestate),
    );
    try {
      const headers = natsHeaders();
      injectContext(headers, trace.setSpan(context.active(), span));
      await this.js.publish(subject, row.payload, { msgID: row.event_id, headers, timeout: RELAY_PUBLISH_TIMEOUT_MS });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  private async mark(tx: EntityManager, published: string[], failures: Map<string, string>): Promise<void> {
    if (published.length > 0) {
      await tx.execute(
        `update "${this.options.schema}".outbox set published_at = now(), attempts = attempts + 1, last_error = null
          where position = any(?::bigint[])`,
        [`{${published.join(',')}}`],
        'run',
      );
    }
    for (const [position, message] of failures) {
      await tx.execute(
        `update "${this.options.schema}".outbox set attempts = attempts + 1, last_error = ? where position = ?`,
        [message.slice(0, 500), position],
        'run',
      );
    }
  }

  private async pruneAndMeasure(): Promise<void> {
    if (Date.now() - this.lastPrune < 10_000) {
      return;
    }
    this.lastPrune = Date.now();
    const em = freshEm(this.orm);
    await em.execute(
      `delete from "${this.options.schema}".outbox where position in (
         select position from "${this.options.schema}".outbox
          where published_at < now() - (? * interval '1 millisecond') limit 10000)`,
      [this.options.retainPublishedMs],
      'run',
    );
    const [backlog] = await em.execute<{ count: string }[]>(
      `select count(*) as count from "${this.options.schema}".outbox where published_at is null`,
    );
    messagingMetrics.outboxBacklog.set({ schema: this.options.schema }, Number(backlog?.count ?? 0));
  }

  private async listen(): Promise<void> {
    const url = this.orm.config.get('clientUrl');
    if (!url) {
      return;
    }
    const client = new Client({ connectionString: url });
    client.on('notification', () => this.loop.wake());
    // A lost LISTEN connection only costs latency: polling continues.
    client.on('error', (error) => this.logger.warn({ err: error }, 'outbox LISTEN connection lost; polling'));
    try {
      await client.connect();
      await client.query(`listen "${outboxChannel(this.options.schema)}"`);
      this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox LISTEN unavailable; polling');
      await client.end().catch(() => undefined);
    }
  }
}
