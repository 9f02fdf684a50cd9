/**
 * The machine's own limits, measured in the same run as the pipeline benches: raw JetStream publish
 * (async, acked) and pull consume (acked) of ~1 KB messages on a test namespace's TRACKING stream, and
 * raw Postgres multi-row INSERT (1,000 rows per statement) and COPY FROM STDIN, one connection each.
 * Writes bench/limits-results.json. Quick mode (`BENCH_QUICK=1` or `--quick`) uses small sizes.
 */
import { AckPolicy } from '@nats-io/jetstream';
import { TestNats, createTestDatabase, createTestNats } from '@shelfwatch/testing';
import { benchPhases, figureRow, figures, loadAverage, machineInfo, quickMode, writeResults } from './bench-report';
import { rawCopy, rawInsert } from './pg-limits';
import { serverVersions } from './versions';

const QUICK = quickMode();
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 3 : 5));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? (QUICK ? 5_000 : 50_000));
const ROWS = Number(process.env.BENCH_ROWS ?? (QUICK ? 20_000 : 200_000));
const IN_FLIGHT = 256;
const PAYLOAD = JSON.stringify({ pad: 'x'.repeat(1_000) });

async function publish(nats: TestNats, subject: string, messages: number): Promise<number> {
  const started = performance.now();
  const window: Promise<unknown>[] = [];
  for (let i = 0; i < messages; i++) {
    window.push(nats.js.publish(subject, PAYLOAD, { msgID: `limit-${i}` }));
    if (window.length >= IN_FLIGHT) {
      await Promise.all(window.splice(0));
    }
  }
  await Promise.all(window);
  return messages / ((performance.now() - started) / 1_000);
}

/** Pulls every message back through a durable consumer with explicit acks, as the services consume. */
async function consume(nats: TestNats, subject: string, messages: number): Promise<number> {
  const stream = await nats.jsm.streams.find(subject);
  await nats.jsm.consumers.add(stream, {
    durable_name: 'limits',
    ack_policy: AckPolicy.Explicit,
    filter_subject: subject,
    max_ack_pending: 10_000,
  });
  const consumer = await nats.js.consumers.get(stream, 'limits');
  const started = performance.now();
  const iterator = await consumer.consume({ max_messages: 1_000 });
  let received = 0;
  for await (const message of iterator) {
    message.ack();
    received++;
    if (received >= messages) {
      break;
    }
  }
  await nats.nc.flush();
  const seconds = (performance.now() - started) / 1_000;
  await iterator.close();
  const info = await nats.jsm.consumers.info(stream, 'limits');
  if (info.num_ack_pending !== 0 || info.num_pending !== 0) {
    throw new Error(`consumer left ${info.num_ack_pending} unacked, ${info.num_pending} pending`);
  }
  return messages / seconds;
}

async function jetStreamRun(messages: number): Promise<{ publish: number; consume: number }> {
  const nats = await createTestNats();
  try {
    const subject = nats.topology.subject('tracking.bench.limit');
    const published = await publish(nats, subject, messages);
    return { publish: published, consume: await consume(nats, subject, messages) };
  } finally {
    await nats.cleanup();
  }
}

async function main(): Promise<void> {
  const phase = benchPhases('limits');
  const loadBefore = loadAverage();
  const db = await createTestDatabase();
  const publishRuns: number[] = [];
  const consumeRuns: number[] = [];
  const insertRuns: number[] = [];
  const copyRuns: number[] = [];
  try {
    // Warm-up (connections, JIT, stream creation) is not measured.
    phase('warm-up (not measured)');
    await jetStreamRun(Math.min(1_000, MESSAGES));
    await rawInsert(db.adminUrl, Math.min(5_000, ROWS));
    await rawCopy(db.adminUrl, Math.min(5_000, ROWS));
    for (let run = 1; run <= RUNS; run++) {
      phase(`run ${run}/${RUNS}: JetStream publish and consume, Postgres INSERT and COPY`);
      const js = await jetStreamRun(MESSAGES);
      publishRuns.push(js.publish);
      consumeRuns.push(js.consume);
      insertRuns.push(await rawInsert(db.adminUrl, ROWS));
      copyRuns.push(await rawCopy(db.adminUrl, ROWS));
      console.log(
        `run ${run}/${RUNS}: publish ${js.publish.toFixed(0)} msg/s, consume ${js.consume.toFixed(0)} msg/s, ` +
          `insert ${insertRuns.at(-1)?.toFixed(0)} rows/s, copy ${copyRuns.at(-1)?.toFixed(0)} rows/s`,
      );
    }
  } finally {
    await db.drop();
  }
  const results = {
    date: new Date().toISOString(),
    mode: QUICK ? 'quick' : 'full',
    machine: machineInfo(),
    versions: await serverVersions(),
    loadAverage: { before: loadBefore, after: loadAverage() },
    runs: RUNS,
    messages: MESSAGES,
    messageBytes: PAYLOAD.length,
    rows: ROWS,
    jetStreamPublishPerSec: figures(publishRuns),
    jetStreamConsumePerSec: figures(consumeRuns),
    postgresInsertRowsPerSec: figures(insertRuns),
    postgresCopyRowsPerSec: figures(copyRuns),
  };
  writeResults('limits', results);
  console.log(
    [
      '| limit | min | median | max |',
      '|---|---|---|---|',
      figureRow('JetStream publish msgs/s', results.jetStreamPublishPerSec),
      figureRow('JetStream consume msgs/s', results.jetStreamConsumePerSec),
      figureRow('Postgres INSERT rows/s', results.postgresInsertRowsPerSec),
      figureRow('Postgres COPY rows/s', results.postgresCopyRowsPerSec),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
