import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextFromTraceparent, getTracer, injectContext } from '@shelfwatch/observability';
import { arrayLiteral, executePrepared, freshEm, inTransaction } from '@shelfwatch/persistence';
import { BackgroundLoop } from '@shelfwatch/resilience';
import { Client } from 'pg';
import { Logger } from 'pino';
import { RELAY_PUBLISH_TIMEOUT_MS } from './dedup-horizons';
import { messagingMetrics } from './messaging-metrics';
import { outboxChannel, outboxRelayLock } from './messaging-tables';
import { PublishRejection, publishRejection } from './publish-rejection';
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

/** What one batch's publishes came to: positions published, to retry, and set aside for good. */
interface PublishOutcome {
  published: string[];
  failures: { position: string; message: string }[];
  setAside: { position: string; message: string; reason: PublishRejection }[];
}

/** Relay tuning. */
export interface OutboxRelayOptions {
  schema: string;
  batchSize: number;
  /** Most acknowledged publishes awaited at once (one per aggregate chain of the batch). */
  maxInFlight: number;
  /** Poll interval when idle; LISTEN/NOTIFY usually wakes the relay sooner. */
  pollIntervalMs: number;
  /**
   * Longest pause after consecutive failed rounds: back-off doubles up to this. A round fails when it could not
   * reach Postgres, or when it published nothing because every row it tried failed (NATS down or refusing);
   * commits do not end the back-off.
   */
  maxBackoffMs: number;
  /** Published rows older than this are pruned; well beyond JetStream's duplicate window. */
  retainPublishedMs: number;
  /** Test seam: runs after a batch was published and before it is marked sent (a crash point). */
  afterPublish?: () => Promise<void>;
}

export const defaultRelayOptions: Omit<OutboxRelayOptions, 'schema'> = {
  batchSize: 500,
  maxInFlight: 128,
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
 *    aggregates go in parallel, at most `maxInFlight` publishes awaiting their ack. A failed row is retried
 *    first next time, so per-aggregate order holds.
 * 4. A row the broker can never accept ({@link publishRejection}: above `max_payload`, a subject the service
 *    may not publish on, refused by the stream) is set aside with its reason instead of blocking its
 *    aggregate forever: `set_aside_at` and `set_aside_reason` are set, it is logged and counted, and the rows
 *    after it go on. Set-aside rows stay in the table until an operator deals with them (docs/operations.md).
 * 5. A crash between publish and mark re-publishes the same ids; JetStream drops them as duplicates
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
        const round = await this.relayBatch();
        await this.pruneAndMeasure();
        const [firstFailure] = round.failures;
        if (round.published.length === 0 && firstFailure !== undefined) {
          // Marked in its own committed transaction already; failing the round makes the loop back off.
          throw new Error(
            `published none of ${round.failures.length} rows tried (first: ${firstFailure.message}); backing off`,
          );
        }
        return round.published.length >= this.options.batchSize;
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

  /**
   * Ends a back-off now: NATS is reachable again (its connection reconnected), so the rows waiting since the outage
   * go out at once rather than after up to `maxBackoffMs`. Commits do not do this ({@link BackgroundLoop.wake}).
   */
  resume(): void {
    this.loop.retryNow();
  }

  /** Finishes the current batch and stops. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Publishes at most one batch; returns how many rows were published (0 when another relay holds the lock). */
  async relayOnce(): Promise<number> {
    return (await this.relayBatch()).published.length;
  }

  /** One batch: what was published, what failed and is retried, what was set aside (nothing without the lock). */
  private relayBatch(): Promise<PublishOutcome> {
    return inTransaction(this.orm, async (tx) => {
      const [lock] = await executePrepared<{ locked: boolean }>(
        tx,
        'select pg_try_advisory_xact_lock(hashtext($1)) as locked',
        [outboxRelayLock(this.options.schema)],
      );
      if (!lock?.locked) {
        return { published: [], failures: [], setAside: [] };
      }
      const rows = await executePrepared<OutboxRow>(
        tx,
        `select position, event_id, event_type, aggregate_key, payload, traceparent, tracestate
           from "${this.options.schema}".outbox
          where published_at is null and set_aside_at is null order by position limit $1`,
        [this.options.batchSize],
      );
      const outcome = await this.publishAll(rows);
      await this.options.afterPublish?.();
      await this.mark(tx, outcome);
      messagingMetrics.published.inc({ schema: this.options.schema }, outcome.published.length);
      return outcome;
    });
  }

  private async publishAll(rows: OutboxRow[]): Promise<PublishOutcome> {
    const chains = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      chains.set(row.aggregate_key, [...(chains.get(row.aggregate_key) ?? []), row]);
    }
    const outcome: PublishOutcome = { published: [], failures: [], setAside: [] };
    // Chains start in the order of their first row, so rows of different aggregates leave roughly in commit order.
    const pending = [...chains.values()];
    let next = 0;
    const publishChains = async (): Promise<void> => {
      for (let chain = pending[next++]; chain; chain = pending[next++]) {
        await this.publishChain(chain, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.maxInFlight, pending.length) }, publishChains));
    return outcome;
  }

  /** Publishes one aggregate's rows in order; a transient failure stops the chain, a rejection sets the row aside. */
  private async publishChain(chain: OutboxRow[], outcome: PublishOutcome): Promise<void> {
    for (const row of chain) {
      try {
        await this.publish(row);
        outcome.published.push(row.position);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
        const reason = publishRejection(error);
        if (reason === null) {
          outcome.failures.push({ position: row.position, message });
          return; // later rows of this aggregate wait for this one
        }
        outcome.setAside.push({ position: row.position, message, reason });
        this.logger.error(
          { eventId: row.event_id, eventType: row.event_type, aggregateKey: row.aggregate_key, reason, err: error },
          'outbox row can never be published; set aside, later rows of its aggregate go on',
        );
      }
    }
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

  /** Marks the batch in at most three statements: published rows, rows to retry, rows set aside. */
  private async mark(tx: EntityManager, outcome: PublishOutcome): Promise<void> {
    const outbox = `"${this.options.schema}".outbox`;
    if (outcome.published.length > 0) {
      await executePrepared(
        tx,
        `update ${outbox} set published_at = now(), attempts = attempts + 1, last_error = null
          where position = any($1::bigint[])`,
        [outcome.published],
      );
    }
    if (outcome.failures.length > 0) {
      await tx.execute(
        `update ${outbox} o set attempts = o.attempts + 1, last_error = f.message
           from unnest(?::bigint[], ?::text[]) as f (position, message) where o.position = f.position`,
        [arrayLiteral(outcome.failures.map((f) => f.position)), arrayLiteral(outcome.failures.map((f) => f.message))],
        'run',
      );
    }
    if (outcome.setAside.length > 0) {
      const { setAside } = outcome;
      await tx.execute(
        `update ${outbox} o set attempts = o.attempts + 1, last_error = f.message, set_aside_at = now(),
                set_aside_reason = f.reason
           from unnest(?::bigint[], ?::text[], ?::text[]) as f (position, message, reason)
          where o.position = f.position`,
        [
          arrayLiteral(setAside.map((f) => f.position)),
          arrayLiteral(setAside.map((f) => f.message)),
          arrayLiteral(setAside.map((f) => f.reason)),
        ],
        'run',
      );
      for (const row of setAside) {
        messagingMetrics.outboxSetAside.inc({ schema: this.options.schema, reason: row.reason });
      }
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
    const [counts] = await em.execute<{ backlog: string; set_aside: string }[]>(
      `select count(*) filter (where set_aside_at is null) as backlog,
              count(*) filter (where set_aside_at is not null) as set_aside
         from "${this.options.schema}".outbox where published_at is null`,
    );
    messagingMetrics.outboxBacklog.set({ schema: this.options.schema }, Number(counts?.backlog ?? 0));
    messagingMetrics.outboxSetAsideRows.set({ schema: this.options.schema }, Number(counts?.set_aside ?? 0));
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
