import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { CRAWLER_MARKETPLACE_RPC, CrawlerMarketplaceList, CrawlerMarketplaceStatuses } from '@shelfwatch/contracts';
import { RpcClient } from '@shelfwatch/messaging';
import { CheckedRpcClient, eventually } from '@shelfwatch/testing';
import { BootedService, bootInTestEnvironment } from '../../../libs/platform/test/service-harness';
import { CrawlerAppModule } from '../src/app.module';
import { CrawlerConfig, loadCrawlerConfig } from '../src/crawler.config';
import { crawlerPersistence } from '../src/crawler.persistence';
import { NAVER_CAPABILITIES } from '../src/marketplaces/naver/naver.adapter';
import { EBAY_CAPABILITIES } from '../src/marketplaces/ebay/ebay.adapter';
import { RAKUTEN_CAPABILITIES } from '../src/marketplaces/rakuten/rakuten.adapter';

const MINUTE = 60_000;

/** A crawl run as stored, finished `minutesAgo` before now; overrides pick its outcome. */
interface RunRow {
  keywordId: string;
  /** Default: the test's tenant. */
  tenantId?: string;
  status: 'completed' | 'failed';
  minutesAgo: number;
  failureCode?: string;
  failureMessage?: string;
}

describe('crawler: marketplace status from the crawl runs every replica shares', () => {
  let booted: BootedService<CrawlerConfig>;
  let rpc: RpcClient;
  const tenantId = randomUUID();

  beforeAll(async () => {
    booted = await bootInTestEnvironment(
      crawlerPersistence,
      loadCrawlerConfig,
      (config, logger) => CrawlerAppModule.forConfig(config, logger),
      () => ({
        NAVER_API_BASE_URL: 'http://127.0.0.1:9',
        NAVER_CLIENT_ID: 'id',
        NAVER_CLIENT_SECRET: 'secret',
        NAVER_DAILY_QUOTA: '25000',
        CRAWL_SCHEDULER_INTERVAL_MS: '3600000',
      }),
    );
    rpc = new CheckedRpcClient(booted.environment.nats.nc, booted.environment.nats.topology);
  });

  afterAll(async () => {
    await booted?.stop();
  });

  // Each test starts from an empty schedule and no runs: status is per marketplace, not per test.
  beforeEach(async () => {
    await sql('delete from crawler.crawl_runs');
    await sql('delete from crawler.keywords');
    await sql('delete from crawler.marketplace_breakers where instance_id = ?', [otherReplica]);
  });

  /** Another crawler replica, as its breaker rows show it. */
  const otherReplica = randomUUID();

  async function sql(statement: string, params: unknown[] = []): Promise<void> {
    await booted.sut.app.get(MikroORM).em.fork().execute(statement, params);
  }

  /** A scheduled keyword of `interval` minutes created `createdMinutesAgo` ago (never due during the test). */
  async function keyword(
    intervalMinutes = 60,
    createdMinutesAgo = 0,
    marketplace = 'naver',
    owner = tenantId,
  ): Promise<string> {
    const keywordId = randomUUID();
    await sql(
      `insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at, created_at)
       values (?, ?, ?, 'earbuds', ?, now() + interval '1 day', now() - make_interval(mins => ?))`,
      [keywordId, owner, marketplace, intervalMinutes, createdMinutesAgo],
    );
    return keywordId;
  }

  async function runs(rows: RunRow[]): Promise<void> {
    for (const row of rows) {
      await sql(
        `insert into crawler.crawl_runs (crawl_id, tenant_id, keyword_id, trigger, status, requested_at, started_at,
                                         finished_at, failure_code, failure_message, correlation_id)
         values (?, ?, ?, 'schedule', ?, now() - make_interval(mins => ?), now() - make_interval(mins => ?),
                 now() - make_interval(mins => ?), ?, ?, ?)`,
        [
          randomUUID(),
          row.tenantId ?? tenantId,
          row.keywordId,
          row.status,
          row.minutesAgo,
          row.minutesAgo,
          row.minutesAgo,
          row.failureCode ?? null,
          row.failureMessage ?? null,
          randomUUID(),
        ],
      );
    }
  }

  type Status = CrawlerMarketplaceStatuses['items'][number]['status'];

  /**
   * Naver's status in the operator's view once it matches `expected` (the view is reused for 2 s, so a change of
   * the rows shows within that).
   */
  async function naverBecomes(expected: Partial<Record<keyof Status, unknown>>): Promise<Status> {
    return eventually(async () => {
      const answer = await rpc.request<CrawlerMarketplaceStatuses>(CRAWLER_MARKETPLACE_RPC.statuses, {});
      const status = answer.items.find((candidate) => candidate.id === 'naver')?.status;
      expect(status).toMatchObject(expected);
      return status as Status;
    }, 5_000);
  }

  it('is unknown with no rate and no error before any crawl of the marketplace finished', async () => {
    await keyword();
    await naverBecomes({
      state: 'unknown',
      breaker: 'closed',
      successRateLastHour: null,
      crawlsLastHour: 0,
      lastError: null,
      keywordsOverdue: 0,
      dailyQuota: 25_000,
      pausedUntil: null,
    });
  });

  it('counts the last hour, names the newest failure, and degrades under half of at least 5 crawls', async () => {
    const id = await keyword();
    await runs([
      { keywordId: id, status: 'completed', minutesAgo: 5 },
      { keywordId: id, status: 'completed', minutesAgo: 20 },
      { keywordId: id, status: 'failed', minutesAgo: 30, failureCode: 'upstream_error', failureMessage: 'HTTP 503' },
      { keywordId: id, status: 'failed', minutesAgo: 40, failureCode: 'timeout', failureMessage: 'older failure' },
      { keywordId: id, status: 'failed', minutesAgo: 50, failureCode: 'timeout', failureMessage: 'oldest failure' },
      // Outside the hour: neither counted nor the newest error.
      { keywordId: id, status: 'failed', minutesAgo: 90, failureCode: 'auth_failed' },
    ]);
    const status = await naverBecomes({ state: 'degraded', crawlsLastHour: 5, successRateLastHour: 0.4 });
    expect(status.lastError).toMatchObject({ code: 'upstream_error', message: 'HTTP 503' });
    const at = Date.parse(status.lastError?.at ?? '');
    expect(Math.abs(Date.now() - 30 * MINUTE - at)).toBeLessThan(MINUTE);
  });

  it('names the failed attempt of a crawl waiting for its retry, newer than any crawl that failed for good', async () => {
    const id = await keyword();
    await runs([{ keywordId: id, status: 'failed', minutesAgo: 30, failureCode: 'timeout', failureMessage: 'older' }]);
    // An outage's crawl: its attempt failed 2 minutes ago and it waits for its next attempt.
    await sql(
      `insert into crawler.crawl_runs (crawl_id, tenant_id, keyword_id, trigger, status, requested_at, attempts,
                                       next_attempt_at, attempt_failed_at, failure_code, failure_message, correlation_id)
       values (?, ?, ?, 'schedule', 'requested', now() - interval '3 minutes', 1, now() + interval '1 minute',
               now() - interval '2 minutes', 'upstream_error', 'HTTP 503 while retried', ?)`,
      [randomUUID(), tenantId, id, randomUUID()],
    );
    const status = await naverBecomes({ lastError: { code: 'upstream_error', message: 'HTTP 503 while retried' } });
    expect(Math.abs(Date.now() - 2 * MINUTE - Date.parse(status.lastError?.at ?? ''))).toBeLessThan(MINUTE);
  });

  it('is ok when most crawls of the hour completed, and unhealthy when every one of the last 15 minutes failed', async () => {
    const id = await keyword();
    await runs([
      { keywordId: id, status: 'completed', minutesAgo: 30 },
      { keywordId: id, status: 'completed', minutesAgo: 10 },
      { keywordId: id, status: 'failed', minutesAgo: 5, failureCode: 'upstream_error' },
    ]);
    await naverBecomes({ state: 'ok', crawlsLastHour: 3 });
    await sql(
      `delete from crawler.crawl_runs where status = 'completed' and finished_at > now() - interval '15 minutes'`,
    );
    await naverBecomes({ state: 'unhealthy', crawlsLastHour: 2, successRateLastHour: 0.5 });
  });

  it('counts a keyword overdue when its last completed crawl, or its creation, is over twice its interval old', async () => {
    const crawledLate = await keyword(10);
    await runs([
      { keywordId: crawledLate, status: 'completed', minutesAgo: 25 },
      // A newer failure does not make it fresh.
      { keywordId: crawledLate, status: 'failed', minutesAgo: 1, failureCode: 'timeout' },
    ]);
    const crawledRecently = await keyword(10);
    await runs([{ keywordId: crawledRecently, status: 'completed', minutesAgo: 15 }]);
    await keyword(10, 21); // never crawled, created 21 minutes ago
    await keyword(10, 19); // never crawled, created 19 minutes ago: not yet
    await keyword(10, 60, 'elsewhere'); // another marketplace's keyword is not Naver's
    await naverBecomes({ keywordsOverdue: 2 });
  });

  it('lists the marketplaces a tenant can use with what each can do and the credentials its crawls use', async () => {
    const answer = await rpc.request<CrawlerMarketplaceList>(CRAWLER_MARKETPLACE_RPC.list, { tenantId });
    expect(answer.items).toEqual([
      {
        id: 'naver',
        name: 'Naver Shopping',
        capabilities: NAVER_CAPABILITIES,
        credentials: { source: 'platform', last4: null, lastUsedAt: null, updatedAt: null },
        status: expect.objectContaining({ state: 'unknown', quotaResetsAt: expect.any(String) }) as unknown,
      },
      {
        id: 'ebay',
        name: 'eBay',
        capabilities: EBAY_CAPABILITIES,
        // No platform keyset configured: the tenant must bring its own.
        credentials: { source: 'none', last4: null, lastUsedAt: null, updatedAt: null },
        status: expect.objectContaining({ state: 'unknown', dailyQuota: 5_000 }) as unknown,
      },
      {
        capabilities: RAKUTEN_CAPABILITIES,
        // Without RAKUTEN_APPLICATION_ID: listed, and a tenant's crawls would need its own application id.
        id: 'rakuten',
        name: 'Rakuten Ichiba',
        credentials: { source: 'none', last4: null, lastUsedAt: null, updatedAt: null },
        status: expect.objectContaining({ state: 'unknown', dailyQuota: 86_400 }) as unknown,
      },
    ]);
  });

  it("shows a tenant its own last error and overdue keywords only, never another tenant's", async () => {
    const other = randomUUID();
    const mine = await keyword(10, 30);
    const theirs = await keyword(10, 30, 'naver', other);
    await runs([
      { keywordId: mine, status: 'failed', minutesAgo: 10, failureCode: 'timeout', failureMessage: 'mine timed out' },
      {
        keywordId: theirs,
        tenantId: other,
        status: 'failed',
        minutesAgo: 1,
        failureCode: 'auth_failed',
        failureMessage: 'their client id 7f3a was rejected',
      },
    ]);
    const list = await rpc.request<CrawlerMarketplaceList>(CRAWLER_MARKETPLACE_RPC.list, { tenantId });
    expect(list.items[0]?.status).toMatchObject({
      keywordsOverdue: 1,
      lastError: { code: 'timeout', message: 'mine timed out' },
      crawlsLastHour: 2,
    });
    expect(JSON.stringify(list)).not.toContain('7f3a');
    const quiet = await rpc.request<CrawlerMarketplaceList>(CRAWLER_MARKETPLACE_RPC.list, { tenantId: randomUUID() });
    expect(quiet.items[0]?.status).toMatchObject({ keywordsOverdue: 0, lastError: null });
    // The operator sees every tenant's.
    await naverBecomes({ keywordsOverdue: 2, lastError: { code: 'auth_failed' } });
  });

  it('leaves failures that are not the marketplace’s out of its success rate', async () => {
    const id = await keyword();
    await runs([
      { keywordId: id, status: 'completed', minutesAgo: 30 },
      { keywordId: id, status: 'failed', minutesAgo: 5, failureCode: 'keyword_removed' },
      { keywordId: id, status: 'failed', minutesAgo: 4, failureCode: 'cancelled' },
    ]);
    await naverBecomes({ state: 'ok', crawlsLastHour: 1, successRateLastHour: 1 });
  });

  it("shows the breaker open while another live replica's is, and not once that replica went silent", async () => {
    const id = await keyword();
    await runs([{ keywordId: id, status: 'completed', minutesAgo: 1 }]);
    await naverBecomes({ breaker: 'closed', state: 'ok' });
    await sql(
      `insert into crawler.marketplace_breakers (marketplace, instance_id, state, seen_at) values ('naver', ?, 'open', now())`,
      [otherReplica],
    );
    await naverBecomes({ breaker: 'open', state: 'degraded' });
    // Its last word is older than a replica may stay silent: it is gone, its breaker no longer counts.
    await sql(`update crawler.marketplace_breakers set seen_at = now() - interval '31 seconds' where instance_id = ?`, [
      otherReplica,
    ]);
    await naverBecomes({ breaker: 'closed', state: 'ok' });
  });

  it("records this replica's breaker, so the other replicas see it", async () => {
    await eventually(async () => {
      const rows = await booted.sut.app
        .get(MikroORM)
        .em.fork()
        .execute<{ state: string }[]>(
          `select state from crawler.marketplace_breakers where marketplace = 'naver' and instance_id <> ?`,
          [otherReplica],
        );
      expect(rows).toEqual([{ state: 'closed' }]);
    });
  });

  it('refuses a list request without a valid tenant id', async () => {
    await expect(rpc.request(CRAWLER_MARKETPLACE_RPC.list, { tenantId: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'invalid',
    });
  });
});
