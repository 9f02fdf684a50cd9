import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { RankingAppModule } from '../src/app.module';
import { RankingConfig, loadRankingConfig } from '../src/ranking.config';
import { rankingPersistence } from '../src/ranking.persistence';

describe('ranking service', () => {
  let booted: BootedService<RankingConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(rankingPersistence, loadRankingConfig, (config, logger) =>
      RankingAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });
});
