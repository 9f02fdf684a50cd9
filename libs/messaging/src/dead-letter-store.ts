import { JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { MsgHdrs } from '@nats-io/transport-node';
import { DomainError, notFoundMessage } from '@shelfwatch/contracts';
import { DEAD_LETTER_HEADERS } from './dead-letter';
import { ParkedMessage } from './message-processor';
import { Topology } from './topology';

/** Why a dead-letter operation was refused. */
export enum DeadLetterErrorCode {
  NotFound = 'dead_letter_not_found',
  NotADeadLetter = 'not_a_dead_letter',
  /** The dead letter was parked by a consumer of another service (or claims one it was not parked by). */
  NotOwnConsumer = 'not_own_consumer',
  /** Applied again, the handler failed again: the dead letter stays parked. */
  ReplayFailed = 'replay_failed',
}

/**
 * A refused dead-letter operation. Its codes are finer than the rpc registry's: `deadLetterRefusal` maps them to
 * request/reply codes, in one place.
 */
export class DeadLetterError extends DomainError<DeadLetterErrorCode> {}

/** One parked message as an operator sees it in a list. */
export interface DeadLetterSummary {
  /** Sequence in the DEADLETTER stream: the id to show or replay it by. */
  sequence: number;
  consumer: string;
  reason: string;
  error: string;
  /** The subject it was consumed from, and the event it carried (when the payload is an event). */
  originalSubject: string;
  eventId: string | null;
  eventType: string | null;
  deliveries: number;
  parkedAt: string;
}

/** A parked message in full: its headers and payload too. */
export interface DeadLetterDetail extends DeadLetterSummary {
  headers: Record<string, string[]>;
  /** The payload parsed as JSON, or its text when it is not JSON (an invalid payload). */
  payload: unknown;
}

/** One page of parked messages, newest first; `nextCursor` (null on the last page) continues below. */
export interface DeadLetterPage {
  items: DeadLetterSummary[];
  nextCursor: string | null;
}

/** A parked message to apply again, with who parked it and the subject it was parked on. */
export interface ParkedDeadLetter extends ParkedMessage {
  summary: DeadLetterSummary;
  /** `deadletter.<durable>.<original subject>`: only the durable's service may publish there. */
  parkedOn: string;
}

/** Stream messages one page reads at most, so that a filter matching nothing still answers quickly. */
export const DEAD_LETTER_SCAN_LIMIT = 500;

/**
 * Reads the messages consumers parked on the DEADLETTER stream, and removes one once it was applied again.
 * Health lists and shows them; the service that owns a consumer replays its own (see {@link DeadLetterReplayer}).
 */
export class DeadLetterStore {
  constructor(
    private readonly jsm: JetStreamManager,
    private readonly topology: Topology,
  ) {}

  private get stream(): string {
    return this.topology.streamName(this.topology.deadLetterStream);
  }

  /**
   * The newest parked messages first, optionally of one consumer, from below the cursor's sequence. A page
   * reads at most {@link DEAD_LETTER_SCAN_LIMIT} stream messages; its cursor leads on from where it stopped.
   */
  async list(options: { consumer?: string; limit: number; cursor?: string }): Promise<DeadLetterPage> {
    const info = await this.jsm.streams.info(this.stream);
    const { first_seq: first, messages } = info.state;
    const start = options.cursor === undefined ? info.state.last_seq : Number(options.cursor) - 1;
    const items: DeadLetterSummary[] = [];
    let seq = start;
    for (; messages > 0 && seq >= first && seq > start - DEAD_LETTER_SCAN_LIMIT; seq--) {
      if (items.length === options.limit) {
        break;
      }
      const msg = await this.jsm.streams.getMessage(this.stream, { seq }).catch(() => null);
      const summary = msg ? summarize(msg) : null;
      if (summary && (options.consumer === undefined || summary.consumer === options.consumer)) {
        items.push(summary);
      }
    }
    // `seq` is the next sequence to read; the cursor names the one above it ("continue below this").
    return { items, nextCursor: messages > 0 && seq >= first ? String(seq + 1) : null };
  }

  /** One parked message with its headers and payload. */
  async show(sequence: number): Promise<DeadLetterDetail> {
    const msg = await this.get(sequence);
    return { ...summaryOf(msg), headers: headerRecord(msg.header), payload: payloadOf(msg) };
  }

  /** A parked message as it was delivered, to apply again. */
  async parked(sequence: number): Promise<ParkedDeadLetter> {
    const msg = await this.get(sequence);
    const summary = summaryOf(msg);
    return {
      summary,
      parkedOn: msg.subject,
      originalSubject: summary.originalSubject,
      headers: msg.header,
      text: msg.string(),
      deliveries: summary.deliveries,
    };
  }

  /** Takes a dead letter off DEADLETTER; one already gone (a concurrent replay took it) is fine. */
  async remove(sequence: number): Promise<void> {
    try {
      await this.jsm.streams.deleteMessage(this.stream, sequence, false);
    } catch (error) {
      const still = await this.jsm.streams.getMessage(this.stream, { seq: sequence }).catch(() => null);
      if (still) {
        throw error;
      }
    }
  }

  private async get(sequence: number): Promise<StoredMsg> {
    const msg = await this.jsm.streams.getMessage(this.stream, { seq: sequence });
    if (!msg) {
      throw new DeadLetterError(DeadLetterErrorCode.NotFound, notFoundMessage('dead letter', sequence));
    }
    return msg;
  }
}

function summaryOf(msg: StoredMsg): DeadLetterSummary {
  const summary = summarize(msg);
  if (!summary) {
    throw new DeadLetterError(DeadLetterErrorCode.NotADeadLetter, `message ${msg.seq} is not a dead letter`);
  }
  return summary;
}

function summarize(msg: StoredMsg): DeadLetterSummary | null {
  const header = (name: string) => msg.header.get(name);
  const consumer = header(DEAD_LETTER_HEADERS.consumer);
  const originalSubject = header(DEAD_LETTER_HEADERS.subject);
  if (!consumer || !originalSubject) {
    return null;
  }
  const payload = payloadOf(msg);
  const event = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  return {
    sequence: msg.seq,
    consumer,
    reason: header(DEAD_LETTER_HEADERS.reason),
    error: header(DEAD_LETTER_HEADERS.error),
    originalSubject,
    eventId: typeof event.id === 'string' ? event.id : null,
    eventType: typeof event.type === 'string' ? event.type : null,
    deliveries: Number(header(DEAD_LETTER_HEADERS.deliveries)) || 0,
    parkedAt: msg.time.toISOString(),
  };
}

function payloadOf(msg: StoredMsg): unknown {
  const text = msg.string();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function headerRecord(headers: MsgHdrs | undefined): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const key of headers?.keys() ?? []) {
    record[key] = headers?.values(key) ?? [];
  }
  return record;
}
