import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { AnyEvent, parseEvent } from '@shelfwatch/contracts';
import { Topology, consumersFor } from '@shelfwatch/messaging';
import { ProgressReporter } from '@shelfwatch/observability';
import { Logger } from 'pino';
import { freshEm, inTransaction } from '@shelfwatch/persistence';
import { CacheVersionsStore } from '../cache/cache-versions.store';
import { Projector } from '../projections/projector';
import { REPORTING_EVENT_TYPES, ReportingEvent, isReportingEvent } from '../projections/reporting-events';
import { purgeDerived } from '../retention/derived-purge';
import { PurgeWatermarksStore } from '../retention/purge-watermarks.store';
import { ReadModelsStore } from './read-models.store';

// The rebuild runs outside Nest (`npm run rebuild:reporting`): its stores hold no state and are built here.
const readModels = new ReadModelsStore();
const cacheVersions = new CacheVersionsStore();
const purgeWatermarks = new PurgeWatermarksStore();
const projector = new Projector(cacheVersions, purgeWatermarks);

export interface RebuildOptions {
  orm: MikroORM;
  nc: NatsConnection;
  topology: Topology;
  logger: Logger;
  /** Events applied per transaction. */
  batchSize?: number;
  /** Least time between two progress lines of a stream's replay (5 s by default). */
  progressEveryMs?: number;
}

/** What a rebuild read, per stream, and what re-applying the purges removed again. */
export interface RebuildReport {
  streams: { stream: string; lastSequence: number; read: number; applied: number }[];
  repurged: number;
  durationMs: number;
}

/** Empties every read model in one transaction and moves every cache version on. */
export async function truncateReadModels(em: EntityManager): Promise<void> {
  await inTransaction(em, async (tx) => {
    await readModels.truncate(tx);
    await cacheVersions.bumpAll(tx);
  });
}

/** The event, or null for a message the durable consumer dead-lettered too (logged, skipped). */
function parsed(body: string, logger: Logger): AnyEvent | null {
  try {
    return parseEvent(JSON.parse(body));
  } catch (error) {
    logger.warn({ err: error }, 'invalid message skipped by the rebuild');
    return null;
  }
}

async function applyBatch(orm: MikroORM, events: ReportingEvent[]): Promise<void> {
  if (events.length === 0) {
    return;
  }
  await inTransaction(orm, (em) => projector.projectAll(em, events));
}

/** A stream as the rebuild found it: its last sequence and how many messages it held. */
interface StreamEnd {
  stream: string;
  lastSequence: number;
  messages: number;
}

/**
 * Replays one stream from its first message up to `lastSequence` (its last one when the rebuild began)
 * through an ephemeral ordered consumer, applying the events the read models use in batches.
 */
async function replayStream(
  options: RebuildOptions,
  { stream, lastSequence, messages: total }: StreamEnd,
): Promise<{ read: number; applied: number }> {
  const batchSize = options.batchSize ?? 500;
  const progress = new ProgressReporter(`replay ${stream}`, total, {
    emit: (line) => options.logger.info({ stream }, line),
    everyMs: options.progressEveryMs,
    unit: 'events',
  });
  const consumer = await jetstream(options.nc).consumers.get(stream);
  const messages = await consumer.consume({ max_messages: Math.max(batchSize, 100) });
  let batch: ReportingEvent[] = [];
  let read = 0;
  let applied = 0;
  for await (const msg of messages) {
    read += 1;
    progress.advance();
    const event = parsed(msg.string(), options.logger);
    if (event && isReportingEvent(event)) {
      batch.push(event);
    }
    // Everything up to the noted end, or everything there is (the noted last message may have been deleted).
    const done = msg.seq >= lastSequence || msg.info.pending === 0;
    if (done || batch.length >= batchSize || msg.info.pending === 0) {
      await applyBatch(options.orm, batch);
      applied += batch.length;
      batch = [];
    }
    if (done) {
      break;
    }
  }
  await messages.close();
  progress.finish();
  return { read, applied };
}

/** Step 4 of a rebuild: the derived purge of each kind, under the watermarks; answers the rows it removed. */
async function reapplyPurges(options: RebuildOptions): Promise<number> {
  let removed = 0;
  for (const { dataKind, request } of await purgeWatermarks.asRequests(freshEm(options.orm))) {
    for (const { table, report } of await purgeDerived(options.orm.em.getConnection(), dataKind, request)) {
      options.logger.info({ dataKind, table, deleted: report.deleted }, 'purge re-applied after the replay');
      removed += report.deleted;
    }
  }
  return removed;
}

/**
 * Rebuilds the read models from the streams (docs/reporting.md §Rebuild):
 * 1. note each stream's last sequence; 2. truncate the read models (cache versions move on);
 * 3. replay each stream from sequence 1 to the noted sequence through an ordered consumer (a recorded crawl
 *    older than its tenant's purges is skipped);
 * 4. re-apply every purge the reporting let through, up to its watermark (`purge_watermarks`, which the
 *    truncation keeps), so that the streams, which hold events older than a purge, bring nothing purged back.
 * The durable consumers keep running: an event they apply during the rebuild is applied again by the
 * replay (or the other way round), which the projections absorb, so the service need not stop.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildReport> {
  const started = Date.now();
  const jsm = await jetstreamManager(options.nc);
  const streams = consumersFor('reporting', [...REPORTING_EVENT_TYPES]).map((c) =>
    options.topology.streamName(c.stream),
  );
  const ends = await Promise.all(
    streams.map(async (stream): Promise<StreamEnd> => {
      const { state } = await jsm.streams.info(stream);
      return { stream, lastSequence: state.messages === 0 ? 0 : state.last_seq, messages: state.messages };
    }),
  );
  await truncateReadModels(freshEm(options.orm));
  const report: RebuildReport['streams'] = [];
  for (const end of ends) {
    const { stream, lastSequence } = end;
    const counts = lastSequence === 0 ? { read: 0, applied: 0 } : await replayStream(options, end);
    options.logger.info({ stream, lastSequence, ...counts }, 'stream replayed into the read models');
    report.push({ stream, lastSequence, ...counts });
  }
  const repurged = await reapplyPurges(options);
  return { streams: report, repurged, durationMs: Date.now() - started };
}
