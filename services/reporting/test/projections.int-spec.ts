import { STREAMS } from '@shelfwatch/contracts';
import { capturingLogger } from '@shelfwatch/testing';
import { Projector } from '../src/projections/projector';
import { ReportingEvent } from '../src/projections/reporting-events';
import { rebuildReadModels, truncateReadModels } from '../src/rebuild/read-models.rebuild';
import { dashboard } from '../src/reports/dashboard.query';
import { generateHistory, tenantOf } from './support/history.generator';
import { ReadModelDump, recompute } from './support/history.oracle';
import { dumpReadModels, expectedDashboard } from './support/read-model-dump';
import { ReportingUnderTest, bootReporting, cacheVersions, drained, publishAll } from './support/reporting.fixtures';
import { Seeded } from './support/seeded';

const SEEDS = [11, 23, 37, 41];

describe('reporting projections', () => {
  let sut: ReportingUnderTest;
  const now = new Date();
  const histories = new Map<number, ReportingEvent[]>();

  beforeAll(async () => {
    sut = await bootReporting();
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  async function dumpAll(): Promise<ReadModelDump[]> {
    return Promise.all([...histories.values()].map((events) => dumpReadModels(sut.em(), tenantOf(events))));
  }

  it.each(SEEDS)(
    'seed %i: every read model equals a recomputation from the raw events, published shuffled and duplicated',
    async (seed) => {
      const events = generateHistory(seed, now);
      histories.set(seed, events);
      await publishAll(sut, new Seeded(seed).shuffled(events));
      await drained(sut);

      const expected = recompute(events);
      const actual = await dumpReadModels(sut.em(), tenantOf(events));
      expect(actual).toEqual(expected);
      expect(expected.hourly.length).toBeGreaterThan(0);

      const { averageRank, ...view } = await dashboard(sut.em(), tenantOf(events), now);
      const { averageRank: expectedAverage, ...expectedView } = expectedDashboard(expected, now);
      expect({ ...view, generatedAt: undefined }).toEqual({ ...expectedView, generatedAt: undefined });
      expect(averageRank ?? -1).toBeCloseTo(expectedAverage ?? -1, 9);
    },
  );

  it('applying every event a second time, past the inbox, changes no read model and no cache version', async () => {
    const before = await dumpAll();
    const versions = await Promise.all([...histories.values()].map((e) => cacheVersions(sut.em(), tenantOf(e))));
    const projector = sut.booted.sut.app.get(Projector);
    for (const events of histories.values()) {
      await sut.em().transactional(async (em) => {
        for (const event of new Seeded(5).shuffled(events)) {
          await projector.project(em, event);
        }
      });
    }
    expect(await dumpAll()).toEqual(before);
    expect(await Promise.all([...histories.values()].map((e) => cacheVersions(sut.em(), tenantOf(e))))).toEqual(
      versions,
    );
  });

  it('a rebuild after dropping the read models replays the streams into the same state', async () => {
    const before = await dumpAll();
    await truncateReadModels(sut.em());
    expect((await dumpAll()).every((dump) => dump.recorded.length === 0 && dump.products.length === 0)).toBe(true);

    const nats = sut.booted.environment.nats;
    const log = capturingLogger('reporting-rebuild');
    const report = await rebuildReadModels({
      orm: sut.orm,
      nc: nats.nc,
      topology: nats.topology,
      logger: log.logger,
      batchSize: 50,
      progressEveryMs: 0,
    });

    expect(await dumpAll()).toEqual(before);
    const rankingStream = nats.topology.streamName(STREAMS.RANKING);
    const ranking = report.streams.find((s) => s.stream === rankingStream);
    expect(ranking?.applied).toBeGreaterThan(0);
    // Progress as it goes: done/total and a rate per stream, then the final line.
    const progress = log
      .entries()
      .filter((entry) => entry.stream === rankingStream && String(entry.msg).startsWith(`replay ${rankingStream}`))
      .map((entry) => String(entry.msg));
    expect(progress[0]).toMatch(
      new RegExp(`^replay ${rankingStream}: 1/[\\d,]+ events \\([\\d.]+ %\\), [\\d.,]+ events/s`),
    );
    expect(progress.at(-1)).toMatch(
      new RegExp(`^replay ${rankingStream}: done, ${ranking?.read.toLocaleString('en-US')} events in `),
    );
  });
});
