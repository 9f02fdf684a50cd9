import { STREAMS } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { generateHistory, tenantOf } from './support/history.generator';
import { recompute } from './support/history.oracle';
import { dumpReadModels } from './support/read-model-dump';
import { ReportingUnderTest, bootReporting, drained, publish, publishAll } from './support/reporting.fixtures';
import { Seeded } from './support/seeded';

/**
 * The batched projection (one transaction, a handful of set-based statements per batch, batches of different
 * keywords side by side) against the same events applied one message per transaction
 * (`REPORTING_CONSUMER_BATCH_SIZE=1`) and in many small batches eight at a time: the same read models, with events
 * published twice (the inbox's case), a poison message among them, and a batch whose transaction fails in the
 * middle of its statements once.
 */
describe('reporting projection in batches', () => {
  const now = new Date();
  const events = generateHistory(71, now);
  let batched: ReportingUnderTest;
  let single: ReportingUnderTest;
  let parallel: ReportingUnderTest;

  beforeAll(async () => {
    batched = await bootReporting({ REPORTING_CONSUMER_BATCH_SIZE: '64' });
    single = await bootReporting({ REPORTING_CONSUMER_BATCH_SIZE: '1' });
    parallel = await bootReporting({ REPORTING_CONSUMER_BATCH_SIZE: '4', REPORTING_CONSUMER_IN_FLIGHT: '8' });
  });

  afterAll(async () => {
    await batched?.booted.stop();
    await single?.booted.stop();
    await parallel?.booted.stop();
  });

  /** Publishes the history shuffled, with a tenth twice and an unparseable `ranking.recorded` in the middle. */
  async function publishWithPoison(sut: ReportingUnderTest): Promise<void> {
    const shuffled = new Seeded(3).shuffled(events);
    const half = Math.floor(shuffled.length / 2);
    await publishAll(sut, shuffled.slice(0, half));
    const nats = sut.booted.environment.nats;
    await nats.js.publish(nats.topology.subject('ranking.recorded'), '{"type":"ranking.recorded","data":{}}');
    await publishAll(sut, shuffled.slice(half));
  }

  async function deadLetters(sut: ReportingUnderTest): Promise<number> {
    const nats = sut.booted.environment.nats;
    const info = await nats.jsm.streams.info(nats.topology.streamName(STREAMS.DEADLETTER));
    return info.state.messages;
  }

  it('gives the same read models as one event per transaction, duplicates and a poison message included', async () => {
    const all = [batched, single, parallel];
    await Promise.all(all.map(publishWithPoison));
    await Promise.all(all.map((sut) => drained(sut, 60_000)));

    const fromBatches = await dumpReadModels(batched.em(), tenantOf(events));
    expect(fromBatches).toEqual(await dumpReadModels(single.em(), tenantOf(events)));
    expect(await dumpReadModels(parallel.em(), tenantOf(events))).toEqual(fromBatches);
    expect(fromBatches).toEqual(recompute(events));
    expect(fromBatches.hourly.length).toBeGreaterThan(0);
    // The poison message was parked in each, and cost the batch around it nothing.
    expect(await Promise.all(all.map(deadLetters))).toEqual([1, 1, 1]);
  });

  it('is provisioned to be handed what its appliers take at once: a batch of 64 for each of its two', async () => {
    const nats = batched.booted.environment.nats;
    const info = await nats.jsm.consumers.info(nats.topology.streamName(STREAMS.RANKING), 'reporting-ranking');
    expect(info.config.max_ack_pending).toBe(128);
  });

  it('loses nothing when a batch fails in the middle of its statements and is applied again', async () => {
    const later = generateHistory(72, now);
    const tenantId = tenantOf(later);
    // The first statement into rank_daily fails: brand_slots, rank_hourly and recorded_crawls of that batch were
    // already written in its transaction, so a rollback that lost track of them would show here.
    await batched.em().execute(`create sequence reporting.crash_once`);
    await batched.em().execute(`create function reporting.crash_once() returns trigger language plpgsql as $$
      begin
        if nextval('reporting.crash_once') = 1 then
          raise exception 'the process died in the middle of a batch';
        end if;
        return null;
      end $$`);
    await batched
      .em()
      .execute(
        `create trigger crash_once after insert on reporting.rank_daily for each statement execute function reporting.crash_once()`,
      );
    try {
      for (const event of later) {
        await publish(batched, event);
      }
      await drained(batched, 60_000);
      await eventually(async () => {
        const [row] = await batched
          .em()
          .execute<{ crashed: boolean }[]>('select last_value >= 1 and is_called as crashed from reporting.crash_once');
        expect(row?.crashed).toBe(true);
      });
      expect(await dumpReadModels(batched.em(), tenantId)).toEqual(recompute(later));
    } finally {
      await batched.em().execute('drop trigger crash_once on reporting.rank_daily');
    }
  });
});
