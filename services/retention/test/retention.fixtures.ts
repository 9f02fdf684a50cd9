import { Client } from 'pg';
import { Env } from '@shelfwatch/config';
import { RpcClient, RpcRemoteError } from '@shelfwatch/messaging';
import { CheckedRpcClient } from '@shelfwatch/testing';
import {
  ServiceUnderTest,
  TestEnvironment,
  bootService,
  createTestEnvironment,
} from '../../../libs/platform/test/service-harness';
import { AlertingAppModule } from '../../alerting/src/app.module';
import { loadAlertingConfig } from '../../alerting/src/alerting.config';
import { alertingPersistence } from '../../alerting/src/alerting.persistence';
import { CrawlerAppModule } from '../../crawler/src/app.module';
import { loadCrawlerConfig } from '../../crawler/src/crawler.config';
import { crawlerPersistence } from '../../crawler/src/crawler.persistence';
import { RankingAppModule } from '../../ranking/src/app.module';
import { loadRankingConfig } from '../../ranking/src/ranking.config';
import { rankingPersistence } from '../../ranking/src/ranking.persistence';
import { ReportingAppModule } from '../../reporting/src/app.module';
import { loadReportingConfig } from '../../reporting/src/reporting.config';
import { reportingPersistence } from '../../reporting/src/reporting.persistence';
import { RetentionAppModule } from '../src/app.module';
import { loadRetentionConfig } from '../src/retention.config';
import { retentionPersistence } from '../src/retention.persistence';

/** Retention with the owners of ranking rows and crawl runs, sharing one database and namespace. */
export interface RetentionPlatform {
  environment: TestEnvironment;
  retention: ServiceUnderTest;
  ranking: ServiceUnderTest;
  crawler: ServiceUnderTest;
  /** Booted only with `everyOwner`: the owner of alerts and delivery logs, and the reporting's read models. */
  alerting?: ServiceUnderTest;
  reporting?: ServiceUnderTest;
  rpc: RpcClient;
  /** Operator connection to the test database, for seeding and counting. */
  sql: Client;
  stop(): Promise<void>;
}

/**
 * Boots retention, ranking and crawler, and with `everyOwner` the alerting and the reporting too (every
 * consumer of `retention.purge.requested`). The scheduled sweep is off so that each test starts its sweep itself.
 */
export async function bootRetentionPlatform(
  retentionEnv: Env = {},
  { everyOwner = false }: { everyOwner?: boolean } = {},
): Promise<RetentionPlatform> {
  const persistences = [retentionPersistence, rankingPersistence, crawlerPersistence];
  const environment = await createTestEnvironment(
    everyOwner ? [...persistences, alertingPersistence, reportingPersistence] : persistences,
  );
  const env = environment.env;
  const retention = await bootService(
    'retention',
    loadRetentionConfig({ ...env, RETENTION_SWEEP_ENABLED: 'false', ...retentionEnv }),
    (config, logger) => RetentionAppModule.forConfig(config, logger),
  );
  const ranking = await bootService('ranking', loadRankingConfig(env), (config, logger) =>
    RankingAppModule.forConfig(config, logger),
  );
  const crawler = await bootService('crawler', loadCrawlerConfig(env), (config, logger) =>
    CrawlerAppModule.forConfig(config, logger),
  );
  const alerting = everyOwner
    ? await bootService('alerting', loadAlertingConfig(env), (config, logger) =>
        AlertingAppModule.forConfig(config, logger),
      )
    : undefined;
  const reporting = everyOwner
    ? await bootService('reporting', loadReportingConfig(env), (config, logger) =>
        ReportingAppModule.forConfig(config, logger),
      )
    : undefined;
  const sql = new Client({ connectionString: environment.db.adminUrl });
  await sql.connect();
  const services = [retention, ranking, crawler, alerting, reporting].filter((s) => s !== undefined);
  return {
    environment,
    retention,
    ranking,
    crawler,
    alerting,
    reporting,
    rpc: new CheckedRpcClient(environment.nats.nc, environment.nats.topology),
    sql,
    stop: async () => {
      await sql.end();
      await Promise.allSettled(services.map((service) => service.close()));
      await environment.cleanup();
    },
  };
}

/** The domain error an RPC answered with. */
export async function refusal(call: Promise<unknown>): Promise<RpcRemoteError> {
  const error = await call.then(
    () => new Error('expected a refusal'),
    (caught: unknown) => caught,
  );
  if (!(error instanceof RpcRemoteError)) {
    throw error;
  }
  return error;
}

/** One integer from a query. */
export async function countOf(sql: Client, query: string, params: unknown[] = []): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(query, params);
  return rows[0]?.n ?? -1;
}
