import { JetStreamManager } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { STREAMS } from '@shelfwatch/contracts';
import { Topology } from '@shelfwatch/messaging';
import { Client } from 'pg';
import { alertsAlternate, productMissingRaisedOnce } from './alert-checks';
import { ServedLookup, crawlsCompletedOrRepaired, rowsEqualServed } from './crawl-checks';
import { FaultWindow, Finding, finding } from './finding';
import { suiteClient } from './infra';
import {
  StoredEvent,
  consumersCaughtUp,
  eventsStored,
  outboxesDrained,
  poisonParkedOnly,
  readAll,
} from './stream-checks';
import { ReceivedDelivery, RegisteredWebhook, deliveredOncePerWebhook } from './webhook-receiver';
import { WorkloadRecord } from './workload';

export type { Finding } from './finding';

/** The least each check must see, derived from the workload's size (see `minimumsFor`). */
export interface Minimums {
  crawls: number;
  rows: number;
  alerts: number;
  deliveries: number;
  events: number;
}

/**
 * The minimums of a run of `keywords` × `rounds` crawls, each of one page of `itemsPerCrawl`: every crawl
 * completes; each stores its page; each product (whose external id no shelf lists) raises one product-missing
 * alert, delivered to each webhook subscribed to `alert.raised`; each completed crawl leaves at least four
 * events (`crawl.requested`, `crawl.started`, `crawl.completed`, `ranking.recorded`).
 */
export function minimumsFor(shape: {
  keywords: number;
  rounds: number;
  itemsPerCrawl: number;
  raisedWebhooks: number;
}): Minimums {
  const crawls = shape.keywords * shape.rounds;
  return {
    crawls,
    rows: crawls * shape.itemsPerCrawl,
    alerts: shape.keywords,
    deliveries: shape.keywords * shape.raisedWebhooks,
    events: crawls * 4,
  };
}

/** Everything the checker compares, gathered once the run has settled. */
export interface CheckInput {
  nc: NatsConnection;
  jsm: JetStreamManager;
  topology: Topology;
  databaseUrl: string;
  record: WorkloadRecord;
  /** Poison event id → its event type. */
  poison: Map<string, string>;
  /** The simulator's record of what it served: the ground truth of every shelf. */
  served: ServedLookup;
  /** When faults were in force; a crawl may fail only within one (plus `failureGraceMs`). */
  windows: readonly FaultWindow[];
  failureGraceMs: number;
  webhooks: readonly RegisteredWebhook[];
  received: readonly ReceivedDelivery[];
  minimums: Minimums;
}

/**
 * Compares the final state with two records the system under test cannot touch, the workload's ledger of
 * crawls and the simulator's log of what it served, and with the webhook deliveries the suite's receiver
 * got: nothing lost, nothing duplicated, nothing stuck, and every check above its minimum.
 */
export async function check(input: CheckInput): Promise<{ findings: Finding[]; events: number }> {
  const db = suiteClient(input.databaseUrl);
  await db.connect();
  try {
    const { record, minimums } = input;
    const { ledger, roundClock } = record;
    const findings: Finding[] = [
      await crawlsCompletedOrRepaired(db, ledger, input.windows, input.failureGraceMs, minimums.crawls),
      await rowsEqualServed(db, ledger, roundClock, input.served, minimums.rows),
      await recordedOncePerCrawl(db, input, minimums.crawls),
      await outboxesDrained(db),
      await consumersCaughtUp(input.jsm, input.topology),
      await streamCheck('dead letters', input, STREAMS.DEADLETTER, (letters) =>
        poisonParkedOnly(letters, input.poison),
      ),
      ...(await alertChecks(input)),
    ];
    const events = await eventsStored(input.jsm, input.topology, minimums.events);
    findings.push(events);
    return { findings, events: events.observed };
  } finally {
    await db.end();
  }
}

/** Runs `judge` on a whole stream; a stream that cannot be read fails the check instead of reading as empty. */
async function streamCheck(
  what: string,
  input: CheckInput,
  stream: (typeof STREAMS)[keyof typeof STREAMS],
  judge: (events: StoredEvent[]) => Finding,
): Promise<Finding> {
  try {
    return judge(await readAll(input.nc, input.topology.streamName(stream)));
  } catch (error) {
    return finding(`${what}: stream read`, 1, 0, [`${stream.name} unreadable: ${String(error)}`], 'no events read');
  }
}

/** The alert checks, all over one read of the alert stream (a failed read fails each of them). */
async function alertChecks(input: CheckInput): Promise<Finding[]> {
  const { record, minimums } = input;
  let alerts: StoredEvent[];
  try {
    alerts = await readAll(input.nc, input.topology.streamName(STREAMS.ALERT));
  } catch (error) {
    const failure = [`${STREAMS.ALERT.name} unreadable: ${String(error)}`];
    return [finding('alert stream read', 1, 0, failure, 'no alert events read')];
  }
  alerts = alerts.filter((event) => event.envelope?.tenantId === record.tenantId);
  const everServed = (externalId: string, keywordText: string): boolean =>
    record.roundClock.some((at) =>
      (input.served(keywordText, at)?.items ?? []).some((item) => item.productId === externalId),
    );
  return [
    alertsAlternate(alerts, minimums.alerts),
    productMissingRaisedOnce(alerts, record.products, everServed),
    deliveredOncePerWebhook(alerts, input.webhooks, input.received, minimums.deliveries),
  ];
}

/** One `ranking.recorded` per completed crawl of the ledger, none twice. Minimum: one per keyword and round. */
async function recordedOncePerCrawl(db: Client, input: CheckInput, minimum: number): Promise<Finding> {
  const ids = input.record.ledger.map((entry) => entry.crawlId);
  const { rows } = await db.query<{ crawl_id: string }>(
    `select crawl_id from crawler.crawl_runs where crawl_id = any($1::uuid[]) and status = 'completed'`,
    [ids],
  );
  let ranking: StoredEvent[];
  try {
    ranking = await readAll(input.nc, input.topology.streamName(STREAMS.RANKING));
  } catch (error) {
    return finding('one ranking.recorded per completed crawl', minimum, 0, [String(error)], 'stream unreadable');
  }
  const recorded = new Map<string, number>();
  for (const event of ranking) {
    const data = event.envelope?.type === 'ranking.recorded' ? (event.envelope.data as { crawlId?: string }) : {};
    if (data.crawlId !== undefined) {
      recorded.set(data.crawlId, (recorded.get(data.crawlId) ?? 0) + 1);
    }
  }
  const failures = [
    ...rows.filter((row) => !recorded.has(row.crawl_id)).map((row) => `${row.crawl_id} never recorded`),
    ...[...recorded].filter(([, count]) => count > 1).map(([id, count]) => `${id} recorded ${count} times`),
  ];
  const observed = rows.filter((row) => recorded.get(row.crawl_id) === 1).length;
  return finding(
    'one ranking.recorded per completed crawl',
    minimum,
    observed,
    failures,
    `${recorded.size} crawls recorded for ${rows.length} completed`,
  );
}
