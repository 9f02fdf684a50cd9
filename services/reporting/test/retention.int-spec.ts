import { randomUUID } from 'node:crypto';
import { DataKind, STREAMS, SYSTEM_TENANT_ID, buildEvent } from '@shelfwatch/contracts';
import { createLogger } from '@shelfwatch/observability';
import { eventually } from '@shelfwatch/testing';
import { generateHistory, tenantOf } from './support/history.generator';
import { BucketRow, ReadModelDump, recompute } from './support/history.oracle';
import { dumpReadModels } from './support/read-model-dump';
import { ServiceUnderTest } from '../../../libs/platform/test/service-harness';
import { rebuildReadModels } from '../src/rebuild/read-models.rebuild';
import {
  ReportingUnderTest,
  bootReporting,
  bootRetentionBeside,
  drained,
  publish,
  publishAll,
} from './support/reporting.fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('reporting retention: analytics kept no longer than the data they come from', () => {
  let sut: ReportingUnderTest;
  let retention: ServiceUnderTest;
  // The history ends at 12:00 UTC of today (or yesterday), so that its hours, days and brand days always
  // fall the same way around the cut-off, whatever the time the test runs.
  const noonToday = new Date().setUTCHours(12, 0, 0, 0);
  const now = new Date(noonToday <= Date.now() ? noonToday : noonToday - DAY);
  // 72 hours of history each; tenant A under the default cut-off, tenant B under a policy of its own.
  const historyA = generateHistory(7, now);
  const historyB = generateHistory(8, now);
  const tenantA = tenantOf(historyA);
  const tenantB = tenantOf(historyB);
  // 02:00 UTC, two days after the first day of history began: two days and two brand days go, one stays.
  const cutoff = new Date(now.getTime() - 34 * HOUR);
  const cutoffB = new Date(now.getTime() - 90 * DAY);

  beforeAll(async () => {
    sut = await bootReporting();
    // Policies of one day, so that the cut-off 34 hours back is one the reporting lets go.
    retention = await bootRetentionBeside(sut, {
      RETENTION_RANKING_ROWS_DAYS: '1',
      RETENTION_CRAWL_RUNS_DAYS: '1',
      RETENTION_ALERTS_DAYS: '1',
    });
    await publishAll(sut, [...historyA, ...historyB]);
    await drained(sut);
  });

  afterAll(async () => {
    await retention?.close();
    await sut?.booted.stop();
  });

  async function requestPurge(dataKind: DataKind): Promise<void> {
    const sweepId = randomUUID();
    const origin = { tenantId: SYSTEM_TENANT_ID, correlationId: sweepId, causationId: null };
    const data = {
      sweepId,
      dataKind,
      cutoff: cutoff.toISOString(),
      tenantCutoffs: [{ tenantId: tenantB, cutoff: cutoffB.toISOString() }],
      batchSize: 7,
      pauseMs: 0,
    };
    await publish(sut, buildEvent('retention.purge.requested', data, origin, { id: randomUUID(), occurredAt: now }));
  }

  async function retentionDrained(): Promise<void> {
    const nats = sut.booted.environment.nats;
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.RETENTION), 'reporting-retention');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    }, 30_000);
  }

  /**
   * Buckets that end before the cut-off go; a bucket still holding samples inside the window stays, and so does
   * one ending exactly at the cut-off (the next sweep takes it).
   */
  const kept = (bucketMs: number) => (row: BucketRow) => new Date(row.bucket).getTime() + bucketMs >= cutoff.getTime();

  /** A UTC day of brand slots is kept until two days after it ended (dates compare in the session's zone). */
  const brandDayKept = (row: { day: string }) =>
    new Date(`${row.day}T00:00:00Z`).getTime() + 2 * DAY >= cutoff.getTime();

  it('purges exactly the hour, day and brand buckets wholly older than the cut-off, and the finished crawls', async () => {
    const before = recompute(historyA);
    expect(before.hourly.filter((row) => !kept(HOUR)(row)).length).toBeGreaterThan(7);
    expect(before.daily.some((row) => !kept(DAY)(row))).toBe(true);
    expect(before.hourly.some(kept(HOUR))).toBe(true);
    expect(before.brandSlots.some((row) => !brandDayKept(row))).toBe(true);
    expect(before.brandSlots.some(brandDayKept)).toBe(true);

    await requestPurge('ranking_rows');
    await requestPurge('crawl_runs');
    await requestPurge('alerts');
    await retentionDrained();

    const after = await dumpReadModels(sut.em(), tenantA);
    const expected: ReadModelDump = {
      ...before,
      hourly: before.hourly.filter(kept(HOUR)),
      daily: before.daily.filter(kept(DAY)),
      brandSlots: before.brandSlots.filter(brandDayKept),
      crawls: before.crawls.filter((crawl) => crawl.stage < 3 || new Date(crawl.changedAt) >= cutoff),
    };
    expect({ ...after, recorded: [], alerts: [] }).toEqual({ ...expected, recorded: [], alerts: [] });

    const counts = await sut.em().execute<{ old_recorded: string; old_resolved: string; open_alerts: string }[]>(
      `select (select count(*) from reporting.recorded_crawls where tenant_id = ? and recorded_at < ?) as old_recorded,
              (select count(*) from reporting.alerts where tenant_id = ? and resolved_at < ?) as old_resolved,
              (select count(*) from reporting.alerts where tenant_id = ? and resolved_at is null) as open_alerts`,
      [tenantA, cutoff, tenantA, cutoff, tenantA],
    );
    expect(counts[0]).toEqual({
      old_recorded: '0',
      old_resolved: '0',
      open_alerts: String(before.alerts.filter((alert) => !alert.resolved).length),
    });
    expect(after.recorded.length).toBeLessThan(before.recorded.length);
  });

  it('keeps everything of a tenant whose own policy is longer', async () => {
    expect(await dumpReadModels(sut.em(), tenantB)).toEqual(recompute(historyB));
  });

  it('a rebuild after the purges replays every stream and brings back none of the purged analytics', async () => {
    const purged = { a: await dumpReadModels(sut.em(), tenantA), b: await dumpReadModels(sut.em(), tenantB) };
    const nats = sut.booted.environment.nats;

    const report = await rebuildReadModels({
      orm: sut.orm,
      nc: nats.nc,
      topology: nats.topology,
      logger: createLogger({ service: 'reporting-rebuild', level: 'silent' }),
      batchSize: 50,
    });

    // The streams still hold every event of the history: the replay read them all.
    const ranking = report.streams.find((stream) => stream.stream === nats.topology.streamName(STREAMS.RANKING));
    expect(ranking?.read).toBeGreaterThan(0);
    expect({ a: await dumpReadModels(sut.em(), tenantA), b: await dumpReadModels(sut.em(), tenantB) }).toEqual(purged);
  });

  it('a recorded crawl older than the purges, delivered late, is not projected', async () => {
    const recorded = historyA.find((event) => event.type === 'ranking.recorded');
    if (recorded?.type !== 'ranking.recorded') {
      throw new Error('the history has no recorded crawl');
    }
    const tenDaysAgo = new Date(now.getTime() - 10 * DAY);
    const late = buildEvent(
      'ranking.recorded',
      { ...recorded.data, crawlId: randomUUID(), recordedAt: now.toISOString(), crawledAt: tenDaysAgo.toISOString() },
      { tenantId: tenantA, correlationId: randomUUID(), causationId: null },
      { id: randomUUID(), occurredAt: tenDaysAgo },
    );
    const before = await dumpReadModels(sut.em(), tenantA);

    await publish(sut, late);
    await drained(sut);

    expect(await dumpReadModels(sut.em(), tenantA)).toEqual(before);
  });
});
