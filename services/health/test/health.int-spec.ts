import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { HealthAppModule } from '../src/app.module';
import { HealthDetails } from '../src/health-details/health-details.controller';
import { HealthConfig, loadHealthConfig } from '../src/health.config';
import { healthPersistence } from '../src/health.persistence';

describe('health service', () => {
  let booted: BootedService<HealthConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(healthPersistence, loadHealthConfig, (config, logger) =>
      HealthAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });

  it('serves the detailed view of its own Postgres and NATS', async () => {
    const response = await booted.sut.get('/health');
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as HealthDetails;
    expect(body).toMatchObject({ status: 'up', version: expect.any(String) });
    expect(body.components.map((c) => [c.name, c.status])).toEqual([
      ['postgres', 'up'],
      ['nats', 'up'],
    ]);
  });
});
