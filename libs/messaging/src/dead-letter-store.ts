import { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { DEAD_LETTER_HEADERS } from './dead-letter';
import { Topology } from './topology';

/** Why a dead-letter operation was refused. */
export enum DeadLetterErrorCode {
  NotFound = 'dead_letter_not_found',
  NotADeadLetter = 'not_a_dead_letter',
}

/** A refused dead-letter operation, with a code the CLI and the gateway map to their answers. */
export class DeadLetterError extends Error {
  constructor(
    readonly code: DeadLetterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeadLetterError';
  }
}

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

/** What a replay did. */
export interface DeadLetterReplay {
  sequence: number;
  consumer: string;
  eventId: string | null;
  /** Where the original message went back to: its subject, as a new message of its stream. */
  subject: string;
  streamSequence: number;
}

/** Headers of the original message that the copy added; a replay drops them again. */
const PARKING_HEADERS = new Set(
  [
    DEAD_LETTER_HEADERS.reason,
    DEAD_LETTER_HEADERS.error,
    DEAD_LETTER_HEADERS.consumer,
    DEAD_LETTER_HEADERS.stream,
    DEAD_LETTER_HEADERS.sequence,
    DEAD_LETTER_HEADERS.subject,
    DEAD_LETTER_HEADERS.deliveries,
    DEAD_LETTER_HEADERS.messageId,
    DEAD_LETTER_HEADERS.replayFor,
  ].map((name) => name.toLowerCase()),
);

/**
 * Lists, shows and replays the messages consumers parked on the DEADLETTER stream. A replay publishes
 * the original payload (same event id: inboxes keep it idempotent) back on its subject, addressed to the
 * consumer that parked it only, then removes it from DEADLETTER: what is left there is what is parked.
 */
export class DeadLetterStore {
  constructor(
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
  ) {}

  private get stream(): string {
    return this.topology.streamName(this.topology.deadLetterStream);
  }

  /** The newest parked messages first, optionally of one consumer. */
  async list(options: { consumer?: string; limit: number }): Promise<DeadLetterSummary[]> {
    const info = await this.jsm.streams.info(this.stream);
    const found: DeadLetterSummary[] = [];
    for (let seq = info.state.last_seq; seq >= info.state.first_seq && found.length < options.limit; seq--) {
      if (info.state.messages === 0) {
        break;
      }
      const msg = await this.jsm.streams.getMessage(this.stream, { seq });
      const summary = msg ? summarize(msg) : null;
      if (summary && (options.consumer === undefined || summary.consumer === options.consumer)) {
        found.push(summary);
      }
    }
    return found;
  }

  /** One parked message with its headers and payload. */
  async show(sequence: number): Promise<DeadLetterDetail> {
    const msg = await this.get(sequence);
    const summary = summarize(msg);
    if (!summary) {
      throw new DeadLetterError(DeadLetterErrorCode.NotADeadLetter, `message ${sequence} is not a dead letter`);
    }
    return { ...summary, headers: headerRecord(msg.header), payload: payloadOf(msg) };
  }

  /**
   * Sends a parked message back to the consumer that parked it and takes it off DEADLETTER. Safe to
   * repeat: the replay's message id is fixed per dead letter, so JetStream drops a second copy within
   * its duplicate window, and the consumer's inbox drops it after that.
   */
  async replay(sequence: number): Promise<DeadLetterReplay> {
    const msg = await this.get(sequence);
    const summary = summarize(msg);
    if (!summary) {
      throw new DeadLetterError(DeadLetterErrorCode.NotADeadLetter, `message ${sequence} is not a dead letter`);
    }
    const headers = natsHeaders();
    for (const [key, values] of Object.entries(headerRecord(msg.header))) {
      if (!PARKING_HEADERS.has(key.toLowerCase())) {
        values.forEach((value) => headers.append(key, value));
      }
    }
    headers.set(DEAD_LETTER_HEADERS.replayFor, summary.consumer);
    const ack = await this.js.publish(summary.originalSubject, msg.data, {
      headers,
      msgID: `replay:${this.stream}:${sequence}`,
      timeout: 5_000,
    });
    await this.jsm.streams.deleteMessage(this.stream, sequence, false);
    return {
      sequence,
      consumer: summary.consumer,
      eventId: summary.eventId,
      subject: summary.originalSubject,
      streamSequence: ack.seq,
    };
  }

  private async get(sequence: number): Promise<StoredMsg> {
    const msg = await this.jsm.streams.getMessage(this.stream, { seq: sequence });
    if (!msg) {
      throw new DeadLetterError(DeadLetterErrorCode.NotFound, `dead letter ${sequence} not found`);
    }
    return msg;
  }
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
