import { BootedService, bootInTestEnvironment, expectHealthyProbes } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';

describe('crawler service', () => {
  let booted: BootedService<CrawlerConfig>;

  beforeAll(async () => {
    booted = await bootInTestEnvironment(crawlerPersistence, loadCrawlerConfig, (config, logger) =>
      CrawlerAppModule.forConfig(config, logger),
    );
  });

  afterAll(async () => {
    await booted?.stop();
  });

  it('boots with its real module and answers live, ready and metrics', async () => {
    await expectHealthyProbes(booted.sut);
  });
});
