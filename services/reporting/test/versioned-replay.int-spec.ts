import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STREAMS, parseEvent } from '@shelfwatch/contracts';
import { capturingLogger } from '@shelfwatch/testing';
import { rebuildReadModels } from '../src/rebuild/read-models.rebuild';
import { READ_MODEL_TABLES } from '../src/rebuild/read-models.store';
import { ReportingUnderTest, bootReporting, drained } from './support/reporting.fixtures';

interface RawEvent {
  id: string;
  type: string;
  tenantId: string;
}

/**
 * Two fixture streams of the same facts of one tenant: `older-release` as releases before sites, currencies,
 * listing fields, observed prices and retries wrote them (the last crawl as today's release does: a stream
 * spanning an upgrade), `current` as today's producers write every event.
 */
function fixtureStream(name: 'older-release' | 'current'): RawEvent[] {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.stream.json`), 'utf8')) as RawEvent[];
}

const REPLAYED = [STREAMS.TRACKING, STREAMS.CRAWL, STREAMS.RANKING, STREAMS.ALERT];

describe('replaying streams written by older releases', () => {
  let sut: ReportingUnderTest;

  beforeAll(async () => {
    sut = await bootReporting();
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  /** Every read-model row of the tenant, every column, in a stable order. */
  async function readModels(tenantId: string): Promise<Record<string, string[]>> {
    const dump: Record<string, string[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const rows = await sut
        .em()
        .execute<{ row: string }[]>(`select row_to_json(t)::text as row from ${table} t where tenant_id = ?`, [
          tenantId,
        ]);
      dump[table] = rows.map((r) => r.row).sort();
    }
    return dump;
  }

  /** Empties the domain streams, publishes `events` on them and rebuilds the read models from them alone. */
  async function rebuildFrom(events: RawEvent[], label: string): Promise<void> {
    const nats = sut.booted.environment.nats;
    for (const stream of REPLAYED) {
      await nats.jsm.streams.purge(nats.topology.streamName(stream));
    }
    for (const event of events) {
      const msgID = `${label}:${event.id}`;
      await nats.js.publish(nats.topology.subject(event.type), JSON.stringify(event), { msgID });
    }
    await drained(sut);
    const report = await rebuildReadModels({
      orm: sut.orm,
      nc: nats.nc,
      topology: nats.topology,
      logger: capturingLogger('reporting-rebuild').logger,
    });
    const applied = report.streams.reduce((sum, stream) => sum + stream.applied, 0);
    expect(applied).toBe(events.length);
  }

  it('rebuilds the same read models as the current-version equivalents', async () => {
    const older = fixtureStream('older-release');
    const current = fixtureStream('current');
    const [tenantId] = new Set(current.map((e) => e.tenantId));
    expect(older.map((e) => e.id)).toEqual(current.map((e) => e.id));
    const differing = older.filter((e, i) => JSON.stringify(e) !== JSON.stringify(current[i]));
    expect(differing.length).toBeGreaterThanOrEqual(older.length / 2);
    // Every event of both streams is valid today (a rejected one would be skipped by the rebuild, unseen).
    for (const event of [...older, ...current]) {
      expect(parseEvent(event).id).toBe(event.id);
    }

    await rebuildFrom(older, 'older');
    const fromOlder = await readModels(tenantId ?? '');
    await rebuildFrom(current, 'current');
    const fromCurrent = await readModels(tenantId ?? '');

    // Every read model holds rows of the tenant, so none is compared empty against empty.
    expect(READ_MODEL_TABLES.filter((table) => (fromCurrent[table] ?? []).length === 0)).toEqual([]);
    expect(fromOlder).toEqual(fromCurrent);
  });
});
