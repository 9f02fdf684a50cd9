import { MikroORM } from '@mikro-orm/postgresql';
import { Env } from '@shelfwatch/config';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient } from '@shelfwatch/testing';
import { startSimulator } from '../../../tools/marketplace-sim/src';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../../crawler/src/app.module';
import { loadCrawlerConfig } from '../../crawler/src/crawler.config';
import { crawlerPersistence } from '../../crawler/src/crawler.persistence';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { loadAlertingConfig } from '../src/alerting.config';
import { alertingPersistence } from '../src/alerting.persistence';
import { AlertingAppModule } from '../src/app.module';

/** The marketplace simulator, the crawler, the ranking and the alerting, on the real Postgres and NATS. */
export interface CrawlPipeline {
  sim: Awaited<ReturnType<typeof startSimulator>>;
  environment: TestEnvironment;
  crawlerOrm: MikroORM;
  alertingOrm: MikroORM;
  /** A caller of the services' request/reply subjects, on the test's connection. */
  rpc: RpcClient;
  /** Stops the services, then drops the database and the namespace and stops the simulator. */
  close(): Promise<void>;
}

/**
 * Starts the simulator (seeded, its clock at `now`) and the three services with the crawler searching it;
 * `env` adds to or overrides their environment.
 */
export async function startCrawlPipeline(seed: number, now: Date, env: Env): Promise<CrawlPipeline> {
  const sim = await startSimulator({ port: 0, seed });
  sim.control.setClock({ now: now.toISOString() });
  const environment = await createTestEnvironment([crawlerPersistence, rankingPersistence, alertingPersistence]);
  const services: ServiceUnderTest[] = [];
  const close = async (): Promise<void> => {
    for (const service of services) {
      await service.close();
    }
    await environment.cleanup();
    await sim.close();
  };
  try {
    const serviceEnv = {
      ...environment.env,
      NAVER_API_BASE_URL: sim.url,
      NAVER_CLIENT_ID: 'client',
      NAVER_CLIENT_SECRET: 'secret',
      ...env,
    };
    const crawler = await bootService('crawler', loadCrawlerConfig(serviceEnv), (c, l) =>
      CrawlerAppModule.forConfig(c, l),
    );
    services.push(crawler);
    services.push(
      await bootService('ranking', loadRankingConfig(serviceEnv), (c, l) => RankingAppModule.forConfig(c, l)),
    );
    const alerting = await bootService('alerting', loadAlertingConfig(serviceEnv), (c, l) =>
      AlertingAppModule.forConfig(c, l),
    );
    services.push(alerting);
    const rpc = new CheckedRpcClient(environment.nats.nc, environment.nats.topology);
    return {
      sim,
      environment,
      crawlerOrm: crawler.app.get(MikroORM),
      alertingOrm: alerting.app.get(MikroORM),
      rpc,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
