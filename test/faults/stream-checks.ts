import { ConsumerInfo, JetStreamManager, jetstream } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { EventEnvelope, STREAMS } from '@shelfwatch/contracts';
import { DEAD_LETTER_HEADERS, Topology } from '@shelfwatch/messaging';
import { Client } from 'pg';
import { EXPECTED_CONSUMERS, EXPECTED_SERVICES, readersOf } from './expected';
import { Finding, finding } from './finding';
import { unpublishedRows } from './infra';

/** One stored event with the header that tells a dead letter's consumer. */
export interface StoredEvent {
  subject: string;
  envelope: EventEnvelope | undefined;
  deadLetterConsumer: string | undefined;
}

/** Reads a whole stream with an ordered consumer (fast: no request per message); a failure to read throws. */
export async function readAll(nc: NatsConnection, streamName: string): Promise<StoredEvent[]> {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const info = await jsm.streams.info(streamName);
  const total = info.state.messages;
  const out: StoredEvent[] = [];
  if (total === 0) {
    return out;
  }
  const consumer = await js.consumers.get(streamName);
  const messages = await consumer.consume({ max_messages: 1_000 });
  for await (const msg of messages) {
    let envelope: EventEnvelope | undefined;
    try {
      envelope = msg.json<EventEnvelope>();
    } catch {
      envelope = undefined;
    }
    out.push({
      subject: msg.subject,
      envelope,
      deadLetterConsumer: msg.headers?.get(DEAD_LETTER_HEADERS.consumer) || undefined,
    });
    if (msg.info.pending === 0 || out.length >= total) {
      break;
    }
  }
  await messages.close();
  return out;
}

/** Every outbox of the services of the run exists and is fully published. Minimum: one outbox per service. */
export async function outboxesDrained(db: Client): Promise<Finding> {
  const failures: string[] = [];
  let observed = 0;
  for (const schema of EXPECTED_SERVICES) {
    const pending = await unpublishedRows(db, schema).catch((error: unknown) => {
      failures.push(`${schema}.outbox unreadable: ${String(error)}`);
      return undefined;
    });
    observed += pending === undefined ? 0 : 1;
    if (pending !== undefined && pending > 0) {
      failures.push(`${schema}: ${pending} unpublished`);
    }
  }
  return finding(
    'every outbox row published',
    EXPECTED_SERVICES.length,
    observed,
    failures,
    `${observed} outboxes read`,
  );
}

/**
 * Every expected durable consumer exists and is at the head of its stream (nothing pending, nothing unacked).
 * A consumer that is missing, or a listing that fails, is a failure, never an empty list.
 */
export async function consumersCaughtUp(jsm: JetStreamManager, topology: Topology): Promise<Finding> {
  const failures: string[] = [];
  let observed = 0;
  const found = await durableConsumers(jsm, topology);
  for (const expected of EXPECTED_CONSUMERS) {
    const info = found.get(expected.durable);
    if (info === undefined) {
      failures.push(`${expected.durable} (${expected.service}) missing`);
      continue;
    }
    observed++;
    if (info.num_pending > 0 || info.num_ack_pending > 0) {
      const sample = await unackedSample(jsm, info.stream_name, info);
      failures.push(`${info.name}: ${info.num_pending} pending, ${info.num_ack_pending} unacked [${sample}]`);
    }
  }
  return finding(
    'no message stuck: every expected durable consumer exists and is at the head',
    EXPECTED_CONSUMERS.length,
    observed,
    failures,
    `${observed} of ${EXPECTED_CONSUMERS.length} expected consumers found`,
  );
}

/** The durable consumers of every stream by name; a listing that fails throws (the check then fails). */
async function durableConsumers(jsm: JetStreamManager, topology: Topology): Promise<Map<string, ConsumerInfo>> {
  const out = new Map<string, ConsumerInfo>();
  for (const stream of Object.values(STREAMS)) {
    for await (const info of jsm.consumers.list(topology.streamName(stream))) {
      if (info.config.durable_name !== undefined) {
        out.set(info.config.durable_name, info);
      }
    }
  }
  return out;
}

/** What the stuck messages are: subject, event id and delivery state of the first few after the ack floor. */
async function unackedSample(jsm: JetStreamManager, stream: string, info: ConsumerInfo): Promise<string> {
  const out: string[] = [];
  for (let seq = info.ack_floor.stream_seq + 1; seq <= info.delivered.stream_seq && out.length < 4; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg !== null) {
      const id = (msg.json<{ id?: string }>() ?? {}).id;
      out.push(`#${seq} ${msg.subject} ${id ?? '?'}`);
    }
  }
  return out.join(', ');
}

/**
 * Every poison message was dead-lettered by every expected consumer reading its type, and nothing else was
 * parked. Minimum: poison messages × their readers.
 */
export function poisonParkedOnly(deadLetters: StoredEvent[], poison: Map<string, string>): Finding {
  const parked = new Set(deadLetters.map((letter) => `${letter.deadLetterConsumer}/${letter.envelope?.id}`));
  const failures: string[] = [];
  let minimum = 0;
  let observed = 0;
  for (const [id, type] of poison) {
    for (const durable of readersOf(type)) {
      minimum++;
      if (parked.has(`${durable}/${id}`)) {
        observed++;
      } else {
        failures.push(`${durable} did not park ${type} ${id}`);
      }
    }
  }
  deadLetters
    .filter((letter) => !poison.has(letter.envelope?.id ?? ''))
    .forEach((letter) => failures.push(`innocent ${letter.subject} ${letter.envelope?.id} parked`));
  return finding(
    'poison messages dead-lettered by every reader, nothing else',
    minimum,
    observed,
    failures,
    `${poison.size} poison events, ${deadLetters.length} dead letters`,
  );
}

/** Counts the events of every stream; a stream that cannot be read fails. Minimum: from the workload size. */
export async function eventsStored(jsm: JetStreamManager, topology: Topology, minimum: number): Promise<Finding> {
  const failures: string[] = [];
  let observed = 0;
  for (const stream of Object.values(STREAMS)) {
    const name = topology.streamName(stream);
    const info = await jsm.streams.info(name).catch((error: unknown) => {
      failures.push(`${name}: ${String(error)}`);
      return undefined;
    });
    observed += info?.state.messages ?? 0;
  }
  return finding('events stored in the streams', minimum, observed, failures, `${observed} events`);
}
