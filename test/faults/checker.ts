import { ConsumerInfo, JetStreamManager, jetstream } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { EventEnvelope, STREAMS } from '@shelfwatch/contracts';
import { DEAD_LETTER_HEADERS, Topology } from '@shelfwatch/messaging';
import { Client } from 'pg';
import { suiteClient } from './infra';
import { WorkloadRecord } from './workload';

/** One stored event with the header that tells a dead letter's consumer. */
export interface StoredEvent {
  subject: string;
  envelope: EventEnvelope | undefined;
  deadLetterConsumer: string | undefined;
}

/** Reads a whole stream with an ordered consumer (fast: no request per message). */
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

/** One line of the checker's verdict. */
export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
}

/** Everything the checker compares, gathered once the run has settled. */
export interface CheckInput {
  nc: NatsConnection;
  jsm: JetStreamManager;
  topology: Topology;
  databaseUrl: string;
  record: WorkloadRecord;
  /** Poison event id → the subject it was published on. */
  poison: Map<string, string>;
}

/** Compares the final state with what the workload implies: nothing lost, nothing duplicated, nothing stuck. */
export async function check(input: CheckInput): Promise<{ findings: Finding[]; events: number }> {
  const db = suiteClient(input.databaseUrl);
  await db.connect();
  try {
    const findings: Finding[] = [];
    const crawlIds = [...new Set(input.record.crawlIds)];
    findings.push(await crawlsFinished(db, crawlIds));
    findings.push(await rowsExactlyOnce(db, crawlIds));
    const ranking = await readAll(input.nc, input.topology.streamName(STREAMS.RANKING));
    findings.push(await recordedOncePerCrawl(db, crawlIds, ranking));
    findings.push(await outboxesDrained(db));
    findings.push(await consumersCaughtUp(input.jsm, input.topology));
    const deadLetters = await readAll(input.nc, input.topology.streamName(STREAMS.DEADLETTER));
    findings.push(await poisonParkedOnly(input.jsm, input.topology, deadLetters, input.poison));
    const alerts = await readAll(input.nc, input.topology.streamName(STREAMS.ALERT)).catch(() => []);
    findings.push(alertsAlternate(alerts));
    let events = 0;
    for (const stream of Object.values(STREAMS)) {
      const info = await input.jsm.streams.info(input.topology.streamName(stream)).catch(() => undefined);
      events += info?.state.messages ?? 0;
    }
    return { findings, events };
  } finally {
    await db.end();
  }
}

async function crawlsFinished(db: Client, crawlIds: string[]): Promise<Finding> {
  const { rows } = await db.query<{ status: string; count: string }>(
    'select status, count(*) from crawler.crawl_runs where crawl_id = any($1::uuid[]) group by status',
    [crawlIds],
  );
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  const finished = (byStatus.completed ?? 0) + (byStatus.failed ?? 0);
  return {
    check: 'every requested crawl finished (none lost, none stuck)',
    ok: finished === crawlIds.length,
    detail: `${crawlIds.length} requested: ${JSON.stringify(byStatus)}`,
  };
}

async function rowsExactlyOnce(db: Client, crawlIds: string[]): Promise<Finding> {
  const { rows } = await db.query<{ crawl_id: string; expected: number; stored: string; ranks: string }>(
    `select c.crawl_id, c.item_count as expected, count(r.id) as stored, count(distinct r.rank) as ranks
       from crawler.crawl_runs c left join ranking.ranking_rows r on r.crawl_id = c.crawl_id
      where c.crawl_id = any($1::uuid[]) and c.status = 'completed'
      group by c.crawl_id, c.item_count`,
    [crawlIds],
  );
  const missing = rows.filter((row) => Number(row.stored) < row.expected);
  const duplicated = rows.filter((row) => Number(row.stored) > row.expected || Number(row.ranks) < Number(row.stored));
  const stored = rows.reduce((sum, row) => sum + Number(row.stored), 0);
  return {
    check: 'ranking rows of every completed crawl stored exactly once',
    ok: missing.length === 0 && duplicated.length === 0,
    detail: `${rows.length} completed crawls, ${stored} rows; ${missing.length} short, ${duplicated.length} duplicated`,
  };
}

async function recordedOncePerCrawl(db: Client, crawlIds: string[], ranking: StoredEvent[]): Promise<Finding> {
  const { rows } = await db.query<{ crawl_id: string }>(
    `select crawl_id from crawler.crawl_runs where crawl_id = any($1::uuid[]) and status = 'completed'`,
    [crawlIds],
  );
  const recorded = new Map<string, number>();
  for (const event of ranking) {
    const data = event.envelope?.type === 'ranking.recorded' ? (event.envelope.data as { crawlId?: string }) : {};
    if (data.crawlId !== undefined) {
      recorded.set(data.crawlId, (recorded.get(data.crawlId) ?? 0) + 1);
    }
  }
  const lost = rows.filter((row) => !recorded.has(row.crawl_id)).length;
  const twice = [...recorded.values()].filter((count) => count > 1).length;
  return {
    check: 'one ranking.recorded per completed crawl',
    ok: lost === 0 && twice === 0,
    detail: `${recorded.size} recorded for ${rows.length} completed; ${lost} missing, ${twice} published twice`,
  };
}

async function outboxesDrained(db: Client): Promise<Finding> {
  const { rows: schemas } = await db.query<{ table_schema: string }>(
    `select table_schema from information_schema.tables where table_name = 'outbox'`,
  );
  const pending: string[] = [];
  for (const { table_schema: schema } of schemas) {
    const { rows } = await db.query<{ count: string }>(
      `select count(*) from "${schema}".outbox where published_at is null`,
    );
    if (Number(rows[0]?.count) > 0) {
      pending.push(`${schema}: ${rows[0]?.count}`);
    }
  }
  return {
    check: 'every outbox row published',
    ok: pending.length === 0,
    detail: pending.length === 0 ? `${schemas.length} outboxes empty` : pending.join(', '),
  };
}

async function consumersCaughtUp(jsm: JetStreamManager, topology: Topology): Promise<Finding> {
  const behind: string[] = [];
  let consumers = 0;
  for (const stream of Object.values(STREAMS)) {
    const name = topology.streamName(stream);
    for (const info of await consumersOf(jsm, name)) {
      consumers++;
      if (info.num_pending > 0 || info.num_ack_pending > 0) {
        behind.push(
          `${info.name}: ${info.num_pending} pending, ${info.num_ack_pending} unacked [${await unackedSample(jsm, name, info)}]`,
        );
      }
    }
  }
  return {
    check: 'no message stuck (every consumer caught up)',
    ok: behind.length === 0,
    detail: behind.length === 0 ? `${consumers} consumers at the head` : behind.join('; '),
  };
}

/** The services' durable consumers of a stream (not the checker's own ordered readers). */
async function consumersOf(jsm: JetStreamManager, stream: string): Promise<ConsumerInfo[]> {
  const all = await jsm.consumers
    .list(stream)
    .next()
    .catch(() => []);
  return all.filter((info) => info.config.durable_name !== undefined);
}

/** What the stuck messages are: subject, event id and delivery state of the first few after the ack floor. */
async function unackedSample(jsm: JetStreamManager, stream: string, info: ConsumerInfo): Promise<string> {
  const out: string[] = [];
  for (let seq = info.ack_floor.stream_seq + 1; seq <= info.delivered.stream_seq && out.length < 4; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg !== null && subjectMatches(info.config.filter_subject ?? '', msg.subject)) {
      const id = (msg.json<{ id?: string }>() ?? {}).id;
      out.push(`#${seq} ${msg.subject} ${id ?? '?'}`);
    }
  }
  return out.join(', ');
}

/** Every poison message parked by every consumer that reads its subject, and nothing else parked. */
async function poisonParkedOnly(
  jsm: JetStreamManager,
  topology: Topology,
  deadLetters: StoredEvent[],
  poison: Map<string, string>,
): Promise<Finding> {
  const parked = new Set(deadLetters.map((letter) => `${letter.deadLetterConsumer}/${letter.envelope?.id}`));
  const innocent = deadLetters.filter((letter) => !poison.has(letter.envelope?.id ?? ''));
  const unparked: string[] = [];
  for (const stream of Object.values(STREAMS)) {
    for (const info of await consumersOf(jsm, topology.streamName(stream))) {
      const filter = info.config.filter_subject ?? '';
      for (const [id, subject] of poison) {
        if (subjectMatches(filter, subject) && !parked.has(`${info.name}/${id}`)) {
          unparked.push(`${info.name}/${subject}`);
        }
      }
    }
  }
  const byConsumer = new Map<string, number>();
  deadLetters.forEach((letter) => {
    const key = `${letter.deadLetterConsumer} ${letter.subject}`;
    byConsumer.set(key, (byConsumer.get(key) ?? 0) + 1);
  });
  return {
    check: 'poison messages dead-lettered by every reader, nothing else',
    ok: innocent.length === 0 && unparked.length === 0,
    detail: `${poison.size} poison, ${deadLetters.length} dead letters (${[...byConsumer].map(([k, n]) => `${k}: ${n}`).join(', ')}); ${innocent.length} innocent, not parked: ${unparked.join(', ') || 'none'}`,
  };
}

/** NATS subject matching with `*` and `>` wildcards. */
function subjectMatches(filter: string, subject: string): boolean {
  if (filter === '') {
    return true;
  }
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') {
      return s.length > i;
    }
    if (f[i] !== '*' && f[i] !== s[i]) {
      return false;
    }
  }
  return f.length === s.length;
}

/** One condition raises one alert: per (rule, product, keyword) raised and resolved alternate. */
function alertsAlternate(alerts: StoredEvent[]): Finding {
  const open = new Map<string, string>();
  const keyOf = new Map<string, string>();
  let doubles = 0;
  let raised = 0;
  for (const event of alerts) {
    const envelope = event.envelope;
    if (envelope?.type === 'alert.raised') {
      raised++;
      const data = envelope.data as { alertId: string; ruleId: string; productId: string; keywordId: string };
      const key = `${data.ruleId}/${data.productId}/${data.keywordId}`;
      doubles += open.has(key) ? 1 : 0;
      open.set(key, data.alertId);
      keyOf.set(data.alertId, key);
    } else if (envelope?.type === 'alert.resolved') {
      const key = keyOf.get((envelope.data as { alertId: string }).alertId);
      if (key !== undefined) {
        open.delete(key);
      }
    }
  }
  return {
    check: 'one open alert per condition (no duplicate alert.raised)',
    ok: doubles === 0,
    detail: `${raised} raised, ${doubles} raised while the same condition was already open`,
  };
}
