import { MikroORM } from '@mikro-orm/postgresql';
import { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { MsgHdrs } from '@nats-io/transport-node';
import { Context, Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AnyEvent, EventType, InvalidEventError, causedBy, parseEvent } from '@shelfwatch/contracts';
import { extractContext, getTracer } from '@shelfwatch/observability';
import { executePrepared, inTransaction } from '@shelfwatch/persistence';
import { Logger } from 'pino';
import { BeforeCommit } from './before-commit';
import { DeadLetterReason, publishDeadLetter } from './dead-letter';
import { EventHandlerFn, HandlerContext } from './event-handler';
import { FailureTally } from './failure-tally';
import { HandlerTimeoutError, PermanentHandlerError, classifyHandlerError, redeliveryDelayMs } from './handler-errors';
import { messagingMetrics } from './messaging-metrics';
import { OutboxWriter } from './outbox-writer';
import { Topology } from './topology';

/** Consumer tuning. */
export interface EventConsumerOptions {
  schema: string;
  /**
   * Failures with an unclassified error (most likely a bug in the handler) after which the message is
   * dead-lettered. Transient failures (database or broker unavailable, timeouts) never count.
   */
  maxUnclassifiedFailures: number;
  /**
   * Backstop for a message whose handler kills the process (it is never nak'ed, so nothing classifies it):
   * dead-lettered on receipt past this many deliveries. High enough that a transient outage never reaches
   * it (10 000 deliveries at a 30 s cap is more than three days).
   */
  crashLoopDeliveries: number;
  /** A handler (with its transaction) running longer than this is abandoned, rolled back and retried. */
  handlerTimeoutMs: number;
  /**
   * Transactions applied at once by this instance: messages when `batchSize` is 1, batches otherwise (batches run
   * one at a time unless `orderingKey` is set).
   */
  maxInFlight: number;
  /**
   * Messages applied together in one transaction. 1 (the default) suits handlers that do slow I/O;
   * fast projections raise it to amortise the commit. A failing batch is retried message by message.
   */
  batchSize: number;
  /**
   * The key whose events must be applied in stream order (a keyword's crawls, say): events of one key are applied
   * one transaction after another, in the order they were delivered; different keys run in parallel, up to
   * `maxInFlight` transactions. Unset: with `batchSize` 1, up to `maxInFlight` messages at once in no particular
   * order; in batch mode, one batch at a time. A message whose handler fails is redelivered after its back-off
   * (the later events of its key do not wait for it), so handlers still tolerate an event arriving late.
   */
  orderingKey?: (event: AnyEvent) => string;
  /** Must match the consumer's `ack_wait`; handlers heartbeat at half of it. */
  ackWaitMs: number;
  /** First redelivery delay after a failure; doubles per delivery up to `maxRedeliveryDelayMs`. */
  redeliveryBaseMs: number;
  maxRedeliveryDelayMs: number;
  /** Test seam: runs after the transaction committed and before the ack (a crash point). */
  afterCommit?: (event: AnyEvent) => Promise<void>;
}

export const defaultConsumerOptions: Omit<EventConsumerOptions, 'schema'> = {
  maxUnclassifiedFailures: 8,
  crashLoopDeliveries: 10_000,
  handlerTimeoutMs: 30_000,
  maxInFlight: 8,
  batchSize: 1,
  ackWaitMs: 30_000,
  redeliveryBaseMs: 1_000,
  maxRedeliveryDelayMs: 30_000,
};

export type Outcome = 'handled' | 'duplicate';

/** What a handler's span and context need of a message: a delivery, or a parked message applied again. */
export interface Delivered {
  subject: string;
  headers?: MsgHdrs;
  info: { deliveryCount: number };
}

/** An event with its handler, from a delivery or from a parked message. */
export interface Applicable {
  msg: Delivered;
  event: AnyEvent;
  handler: EventHandlerFn;
}

/** A delivered message that passed validation and has a handler. */
export interface Accepted extends Applicable {
  msg: JsMsg;
}

/** A message parked on DEADLETTER, to apply again as it was first delivered. */
export interface ParkedMessage {
  /** The subject it was consumed from. */
  originalSubject: string;
  headers?: MsgHdrs;
  /** Its payload as it was delivered. */
  text: string;
  deliveries: number;
}

/** Why a parked message cannot be applied again, whatever the handler does. */
export class NotReplayableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReplayableError';
  }
}

/**
 * Applies messages one at a time: inbox row and handler in one transaction, ack after commit, nak with
 * capped back-off on a transient failure (for as long as it lasts), dead-letter (then terminate) an
 * invalid or permanently failing message, or one whose handler keeps failing with an unclassified error.
 */
export class MessageProcessor {
  private readonly unclassified = new FailureTally();

  constructor(
    readonly durable: string,
    private readonly handlers: ReadonlyMap<EventType, EventHandlerFn>,
    private readonly orm: MikroORM,
    private readonly js: JetStreamClient,
    private readonly outbox: OutboxWriter,
    private readonly topology: Topology,
    private readonly logger: Logger,
    readonly options: EventConsumerOptions,
  ) {}

  /** Validates a message; settles it at once (dead letter, ignore) unless it has work for a handler. */
  async triage(msg: JsMsg): Promise<Accepted | null> {
    if (msg.info.redelivered) {
      messagingMetrics.redelivered.inc({ consumer: this.durable });
    }
    const event = parsePayload(msg.string());
    if ('invalid' in event) {
      await this.deadLetter(msg, 'invalid_payload', event.invalid);
      return null;
    }
    if (msg.info.deliveryCount > this.options.crashLoopDeliveries) {
      await this.deadLetter(msg, 'max_deliver_exceeded', 'delivered too often without an ack');
      return null;
    }
    const handler = this.handlers.get(event.type);
    if (!handler) {
      messagingMetrics.consumed.inc({ consumer: this.durable, outcome: 'ignored' });
      msg.ack();
      return null;
    }
    return { msg, event, handler };
  }

  /** Triage and apply one message in its own transaction. */
  async process(msg: JsMsg): Promise<void> {
    const accepted = await this.triage(msg);
    if (accepted) {
      await this.apply(accepted);
    }
  }

  /**
   * Applies a parked message again exactly as a delivery would (inbox row and handler in one transaction, so an
   * event already applied is a `duplicate` and applies nothing). Throws what the handler threw, or
   * {@link NotReplayableError} for a payload no handler of this consumer takes; settles nothing on NATS.
   */
  async reapply(parked: ParkedMessage): Promise<Outcome> {
    const event = parsePayload(parked.text);
    if ('invalid' in event) {
      throw new NotReplayableError(`invalid payload: ${event.invalid}`);
    }
    const handler = this.handlers.get(event.type);
    if (!handler) {
      throw new NotReplayableError(`${this.durable} has no handler for ${event.type}`);
    }
    const msg: Delivered = {
      subject: parked.originalSubject,
      headers: parked.headers,
      info: { deliveryCount: parked.deliveries + 1 },
    };
    const applicable = { msg, event, handler };
    const { span, ctx } = this.startSpan(applicable);
    try {
      const outcome = await this.transactWithin((em) => this.applyFresh(applicable, em, ctx));
      span.addEvent('replayed', { outcome });
      messagingMetrics.consumed.inc({ consumer: this.durable, outcome });
      return outcome;
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  /** CONSUMER span whose parent is the producer's context from the headers (and linked to it). */
  startSpan(accepted: Applicable): { span: Span; ctx: Context } {
    const { msg, event } = accepted;
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
    return { span, ctx: trace.setSpan(parent, span) };
  }

  /** Keeps the server from redelivering messages whose handling outlasts `ack_wait`. */
  heartbeat(msgs: JsMsg[]): () => void {
    const timer = setInterval(() => msgs.forEach((msg) => msg.working()), Math.max(500, this.options.ackWaitMs / 2));
    return () => clearInterval(timer);
  }

  /** Runs a handler inside its span with a context bound to the transaction (and its before-commit work). */
  runHandler(accepted: Applicable, em: HandlerContext['em'], ctx: Context, beforeCommit: BeforeCommit): Promise<void> {
    const { event, msg, handler } = accepted;
    const handlerContext: HandlerContext = {
      em,
      deliveryCount: msg.info.deliveryCount,
      emit: (type, data, aggregateKey) => this.outbox.append(em, { type, data, origin: causedBy(event), aggregateKey }),
      beforeCommit: (key, work) => beforeCommit.add(key, work),
    };
    return context.with(ctx, () => handler(event, handlerContext));
  }

  /** Settles a message whose effects are committed. */
  async settleCommitted(accepted: Accepted, outcome: Outcome, span: Span): Promise<void> {
    await this.options.afterCommit?.(accepted.event);
    this.acknowledge(accepted, outcome, span);
  }

  /**
   * Acks a message whose effects are committed (and whose `afterCommit` seam ran). Synchronous, so that the
   * acks of a batch acknowledged in one loop leave in one socket write: the NATS client flushes its outbound
   * buffer in a microtask, and an `await` between two acks made a write per ack.
   */
  acknowledge(accepted: Accepted, outcome: Outcome, span: Span): void {
    accepted.msg.ack();
    this.unclassified.forget(tallyKey(accepted.msg));
    span.addEvent('ack', { outcome });
    messagingMetrics.consumed.inc({ consumer: this.durable, outcome });
  }

  /** Applies a triaged message in its own transaction, then acks it (or naks or dead-letters it on failure). */
  async apply(accepted: Accepted): Promise<void> {
    const { span, ctx } = this.startSpan(accepted);
    const stopHeartbeat = this.heartbeat([accepted.msg]);
    try {
      const outcome = await this.transactWithin((em) => this.applyFresh(accepted, em, ctx));
      await this.settleCommitted(accepted, outcome, span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR });
      await this.fail(accepted.msg, error);
    } finally {
      stopHeartbeat();
      span.end();
    }
  }

  /** Inside the transaction: the inbox row, then the handler unless the event was applied before. */
  private async applyFresh(item: Applicable, em: HandlerContext['em'], ctx: Context): Promise<Outcome> {
    const fresh = await this.recordInbox(em, [item.event]);
    if (!fresh.has(item.event.id)) {
      return 'duplicate';
    }
    const beforeCommit = new BeforeCommit();
    await this.runHandler(item, em, ctx, beforeCommit);
    await beforeCommit.run(em);
    return 'handled';
  }

  /**
   * Inserts inbox rows (first statement of the transaction); returns the ids not seen before. The same
   * statement bounds the transaction on the server by the handler timeout: an abandoned handler that
   * never returns has its session closed by Postgres (idle in transaction, or a statement running too
   * long), which releases its inbox row lock so that the retry is not blocked behind it forever.
   */
  async recordInbox(em: HandlerContext['em'], events: AnyEvent[]): Promise<Set<string>> {
    // One text whatever the number of events (arrays), so prepared.
    const rows = await executePrepared<{ event_id: string }>(
      em,
      `insert into "${this.options.schema}".inbox (consumer, event_id, event_type)
       select $1, e.event_id, e.event_type
         from unnest($2::uuid[], $3::text[]) as e (event_id, event_type)
        cross join (select set_config('idle_in_transaction_session_timeout', $4, true),
                           set_config('statement_timeout', $4, true)) as limits
       on conflict do nothing returning event_id`,
      [
        this.durable,
        events.map((event) => event.id),
        events.map((event) => event.type),
        String(this.options.handlerTimeoutMs),
      ],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /**
   * Runs `work` in a transaction abandoned after `handlerTimeoutMs`: the caller gets a
   * {@link HandlerTimeoutError} at once, and the transaction, whenever its handler returns, rolls back
   * instead of committing. Should the commit already be under way when the time runs out, the inbox row
   * it carries turns the redelivery into an acknowledged duplicate: the effect still happens once.
   */
  async transactWithin<T>(work: (em: HandlerContext['em']) => Promise<T>): Promise<T> {
    const timeoutMs = this.options.handlerTimeoutMs;
    const stopTimer = messagingMetrics.handlerSeconds.startTimer({ consumer: this.durable });
    let abandoned = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        abandoned = true;
        messagingMetrics.handlerTimeouts.inc({ consumer: this.durable });
        reject(new HandlerTimeoutError(timeoutMs));
      }, timeoutMs);
    });
    const transaction = inTransaction(this.orm, async (em) => {
      const result = await work(em);
      if (abandoned) {
        throw new HandlerTimeoutError(timeoutMs);
      }
      return result;
    });
    try {
      return await Promise.race([transaction, deadline]);
    } finally {
      clearTimeout(timer);
      stopTimer();
      // The abandoned transaction settles later on its own; its failure was already reported.
      transaction.catch(() => undefined);
    }
  }

  /**
   * Settles a failed message by what its error means (see {@link classifyHandlerError}): transient is
   * nak'ed with capped back-off however long it lasts, permanent is dead-lettered at once, unclassified
   * is nak'ed the same way until it failed `maxUnclassifiedFailures` times, then dead-lettered.
   */
  async fail(msg: JsMsg, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const kind = classifyHandlerError(error);
    switch (kind) {
      case 'permanent': {
        this.unclassified.forget(tallyKey(msg));
        const reason = error instanceof PermanentHandlerError ? error.reason : 'permanent';
        return this.deadLetter(msg, 'permanent_failure', `${reason}: ${message}`);
      }
      case 'unclassified':
        if (this.unclassified.add(tallyKey(msg)) >= this.options.maxUnclassifiedFailures) {
          this.unclassified.forget(tallyKey(msg));
          return this.deadLetter(msg, 'max_deliver_exceeded', message);
        }
        break;
      case 'transient':
        break;
      default: {
        const unknownKind: never = kind;
        throw new Error(`unknown failure kind ${String(unknownKind)}`);
      }
    }
    const { redeliveryBaseMs, maxRedeliveryDelayMs } = this.options;
    const delay = redeliveryDelayMs(msg.info.deliveryCount, redeliveryBaseMs, maxRedeliveryDelayMs);
    this.logger.warn(
      {
        err: error,
        consumer: this.durable,
        subject: msg.subject,
        delivery: msg.info.deliveryCount,
        delayMs: delay,
        kind,
      },
      'handler failed; will retry',
    );
    messagingMetrics.consumed.inc({ consumer: this.durable, outcome: 'retried' });
    messagingMetrics.retried.inc({ consumer: this.durable, kind });
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
    // No reason on the TERM: nats-server before 2.10.4 (Debian ships 2.9.10) ignores `+TERM <reason>`,
    // leaves the message ack-pending and redelivers it forever. The reason travels in the dead letter.
    msg.term();
    messagingMetrics.deadLettered.inc({ consumer: this.durable, reason });
    messagingMetrics.consumed.inc({ consumer: this.durable, outcome: 'dead_lettered' });
    this.logger.error(
      { consumer: this.durable, subject: msg.subject, sequence: msg.info.streamSequence, reason, error },
      'message dead-lettered',
    );
  }
}

/** The event a payload carries, or what is wrong with it. */
function parsePayload(text: string): AnyEvent | { invalid: string } {
  try {
    return parseEvent(JSON.parse(text));
  } catch (error) {
    return { invalid: error instanceof InvalidEventError ? error.issues.join('; ') : String(error) };
  }
}

/** Identifies a message (not an event: a replay is a new message) across its deliveries. */
function tallyKey(msg: JsMsg): string {
  return `${msg.info.stream}:${msg.info.streamSequence}`;
}
