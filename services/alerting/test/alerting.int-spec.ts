import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { AlertingAppModule } from '../src/app.module';
import { AlertingConfig, loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';

describe('alerting service', () => {
  let booted: BootedService<AlertingConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(alertingPersistence, loadAlertingConfig, (config, logger) =>
      AlertingAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });
});
