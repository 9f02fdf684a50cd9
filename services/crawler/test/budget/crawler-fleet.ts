import { randomUUID } from 'node:crypto';
import { Env } from '@shelfwatch/config';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually, freePorts } from '@shelfwatch/testing';
import { Client } from 'pg';
import {
  RAKUTEN_SEARCH_PATH,
  RunningSimulator,
  SimRequest,
  startSimulator,
} from '../../../../tools/marketplace-sim/src';
import { TestEnvironment, createTestEnvironment } from '../../../../libs/platform/test/service-harness';
import { SpawnedService, spawnBuiltService } from '../../../../libs/platform/test/spawn-service';
import { crawlerPersistence } from '../../src/crawler.persistence';

/**
 * Built crawler processes (`npx tsc -p tsconfig.build.json` first) sharing one database, one NATS namespace
 * and one marketplace simulator: the replicas of one deployment.
 */
export interface CrawlerFleet {
  environment: TestEnvironment;
  sim: RunningSimulator;
  crawlers: SpawnedService[];
  db: Client;
  rpc: RpcClient;
  /** Schedules keywords of a tenant, due now (as the schedule projection would, minus its first-crawl spread). */
  schedule(tenantId: string, count: number, intervalMinutes: number, marketplace?: string): Promise<void>;
  /** The simulator's request log, over its HTTP control API. */
  requests(): Promise<SimRequest[]>;
  /** Crawl runs by status and failure code, e.g. `{ 'completed': 3, 'failed:quota_exhausted': 2 }`, of one tenant or all. */
  runs(tenantId?: string): Promise<Record<string, number>>;
  /** Waits until every scheduled keyword has a finished run and none is requested or running. */
  settled(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the simulator and `count` crawler processes with `env` (the budget's variables). */
export async function startCrawlerFleet(count: number, env: Env): Promise<CrawlerFleet> {
  const environment = await createTestEnvironment([crawlerPersistence]);
  const sim = await startSimulator({ port: 0, seed: 11 });
  const db = new Client({ connectionString: environment.db.adminUrl });
  await db.connect();
  const ports = await freePorts(count);
  const crawlers = ports.map((port) =>
    spawnBuiltService('crawler', {
      ...environment.env,
      PORT: String(port),
      LOG_LEVEL: 'info',
      NAVER_API_BASE_URL: sim.url,
      NAVER_CLIENT_ID: 'platform-client',
      NAVER_CLIENT_SECRET: 'platform-secret',
      RAKUTEN_API_BASE_URL: `${sim.url}${RAKUTEN_SEARCH_PATH}`,
      RAKUTEN_APPLICATION_ID: 'platform-rakuten',
      CRAWL_SCHEDULER_INTERVAL_MS: '300',
      CRAWL_PAGE_SIZE: '10',
      ...env,
    }),
  );
  const stop = async (): Promise<void> => {
    for (const crawler of crawlers) {
      if (crawler.child.exitCode === null) {
        crawler.child.kill('SIGKILL');
      }
    }
    await Promise.all(crawlers.map((crawler) => crawler.exited));
    await db.end();
    await sim.close();
    await environment.cleanup();
  };
  try {
    await Promise.all(crawlers.map((crawler) => crawler.waitForLine(/listening on port/, 60_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  const count_ = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
  return {
    environment,
    sim,
    crawlers,
    db,
    rpc: new CheckedRpcClient(environment.nats.nc, environment.nats.topology),
    schedule: async (tenantId, n, intervalMinutes, marketplace = 'naver') => {
      const ids = Array.from({ length: n }, () => randomUUID());
      await db.query(
        `insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at)
         select id, $1, $4, 'budget keyword ' || ord, $2, now()
         from unnest($3::uuid[]) with ordinality as k(id, ord)`,
        [tenantId, intervalMinutes, ids, marketplace],
      );
    },
    requests: async () => {
      const response = await fetch(`${sim.url}/_sim/requests`);
      return ((await response.json()) as { requests: SimRequest[] }).requests;
    },
    runs: async (tenantId) => {
      const { rows } = await db.query<{ outcome: string; n: string }>(
        `select status || coalesce(':' || failure_code, '') as outcome, count(*) as n from crawler.crawl_runs
         where $1::uuid is null or tenant_id = $1 group by 1`,
        [tenantId ?? null],
      );
      return Object.fromEntries(rows.map((row) => [row.outcome, Number(row.n)]));
    },
    settled: (timeoutMs) =>
      eventually(
        async () => {
          const unfinished = await count_(
            `select count(*) as n from crawler.keywords k
             where not exists (select 1 from crawler.crawl_runs r where r.keyword_id = k.keyword_id)
                or exists (select 1 from crawler.crawl_runs r where r.keyword_id = k.keyword_id and r.status in ('requested', 'running'))`,
            [],
          );
          if (unfinished > 0) {
            throw new Error(`${unfinished} keywords not crawled yet`);
          }
        },
        timeoutMs,
        250,
      ),
    stop,
  };
}

/** The most requests any one-second window [t, t + 1 s) of the log holds. */
export function busiestSecond(requests: readonly SimRequest[]): number {
  const times = requests.map((request) => Date.parse(request.at)).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  times.forEach((time, last) => {
    while ((times[first] ?? time) <= time - 1_000) {
      first += 1;
    }
    most = Math.max(most, last - first + 1);
  });
  return most;
}
