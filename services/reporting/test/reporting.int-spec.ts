import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { ReportingAppModule } from '../src/app.module';
import { ReportingConfig, loadReportingConfig } from '../src/reporting.config';
import { reportingPersistence } from '../src/reporting.persistence';

describe('reporting service', () => {
  let booted: BootedService<ReportingConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(reportingPersistence, loadReportingConfig, (config, logger) =>
      ReportingAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });
});
