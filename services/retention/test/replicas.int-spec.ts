import { Client } from 'pg';
import { eventually } from '@shelfwatch/testing';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { RetentionAppModule } from '../src/app.module';
import { loadRetentionConfig } from '../src/retention.config';
import { retentionPersistence } from '../src/retention.persistence';

describe('scheduled sweeps across replicas', () => {
  let environment: TestEnvironment;
  const replicas: ServiceUnderTest[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment([retentionPersistence]);
  });

  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.close()));
    await environment?.cleanup();
  });

  it('starts exactly one sweep per period however many replicas check, each asking every owner once', async () => {
    // Periods of 1 s checked every 50 ms by three replicas: they race for every period.
    const env = { ...environment.env, RETENTION_SWEEP_INTERVAL_MS: '1000', RETENTION_SWEEP_CHECK_MS: '50' };
    // The periods any replica ran in: booting and closing take as long as a loaded machine makes them.
    const firstPeriod = Math.floor(Date.now() / 1_000);
    for (let i = 0; i < 3; i++) {
      replicas.push(
        await bootService('retention', loadRetentionConfig(env), (config, logger) =>
          RetentionAppModule.forConfig(config, logger),
        ),
      );
    }
    const sql = new Client({ connectionString: environment.db.adminUrl });
    await sql.connect();
    try {
      // Until several periods were raced for, however long a loaded machine makes that take.
      await eventually(
        async () => {
          const { rows } = await sql.query<{ sweeps: number }>('select count(*)::int as sweeps from retention.sweeps');
          expect(rows[0]?.sweeps).toBeGreaterThanOrEqual(4);
        },
        60_000,
        100,
      );
      await Promise.all(replicas.splice(0).map((replica) => replica.close()));
      const periodsElapsed = Math.floor(Date.now() / 1_000) - firstPeriod + 1;
      const { rows } = await sql.query<{ sweeps: number; periods: number; requests: number }>(
        `select (select count(*)::int from retention.sweeps) as sweeps,
                (select count(distinct period)::int from retention.sweeps) as periods,
                (select count(*)::int from retention.outbox where event_type = 'retention.purge.requested') as requests`,
      );
      const counts = rows[0] ?? { sweeps: 0, periods: 0, requests: 0 };
      expect(counts.sweeps).toBeGreaterThanOrEqual(4);
      // At most one per period, whatever the number of replicas.
      expect(counts.sweeps).toBeLessThanOrEqual(periodsElapsed);
      expect(counts.periods).toBe(counts.sweeps);
      expect(counts.requests).toBe(counts.sweeps * 4);
    } finally {
      await sql.end();
    }
  }, 120_000);
});
