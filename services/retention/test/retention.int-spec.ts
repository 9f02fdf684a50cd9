import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { RetentionAppModule } from '../src/app.module';
import { RetentionConfig, loadRetentionConfig } from '../src/retention.config';
import { retentionPersistence } from '../src/retention.persistence';

describe('retention service', () => {
  let booted: BootedService<RetentionConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(retentionPersistence, loadRetentionConfig, (config, logger) =>
      RetentionAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });
});
