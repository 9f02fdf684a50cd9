import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '@shelfwatch/persistence';
import { capturingLogger, eventually, logger, writer } from '@shelfwatch/testing';
import { CrawlLimits, CrawlWorker } from '../src/crawls/crawl.worker';
import { NEXT_CLAIM } from '../src/crawls/crawl-claim.sql';
import { CrawlStore } from '../src/crawls/crawl.store';
import { CrawledShelf, KeywordCrawler } from '../src/crawls/keyword-crawler.port';
import { crawlerPersistence } from '../src/crawler.persistence';
import { TestEnvironment, createTestEnvironment } from '../../../libs/platform/test/service-harness';

type Crawl = KeywordCrawler['crawl'];

/** Crawl runs on the real Postgres: fenced leases, retries and fair claiming, one worker or many. */
describe('crawl runs: leases, retries, fair claiming', () => {
  let environment: TestEnvironment;
  let orm: MikroORM;
  const store = new CrawlStore();
  const limits: CrawlLimits = {
    crawlTimeoutMs: 10_000,
    leaseMs: 60_000,
    retry: { baseMs: 20, maxMs: 50, maxAttempts: 3 },
  };

  beforeAll(async () => {
    environment = await createTestEnvironment([crawlerPersistence]);
    orm = await MikroORM.init(ormOptions(crawlerPersistence, environment.db.adminUrl, 20));
  });

  afterAll(async () => {
    await orm?.close();
    await environment?.cleanup();
  });

  // Claiming looks at every tenant's runs: each test starts from an empty table.
  beforeEach(async () => {
    await orm.em
      .fork()
      .execute('truncate crawler.crawl_runs, crawler.keywords, crawler.tenant_turns cascade', [], 'run');
  });

  const em = () => orm.em.fork();

  /** A keyword of `tenantId` and one requested run of it, `ageMs` old. */
  async function requestRun(
    tenantId: string,
    options: { trigger?: 'schedule' | 'manual'; ageMs?: number; intervalMinutes?: number } = {},
  ): Promise<string> {
    const keywordId = randomUUID();
    const crawlId = randomUUID();
    await em().execute(
      `insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at)
       values (?, ?, 'naver', 'earbuds', ?, now() + interval '1 day')`,
      [keywordId, tenantId, options.intervalMinutes ?? 60],
      'run',
    );
    await store.insertRequested(em(), {
      crawlId,
      tenantId,
      keywordId,
      trigger: options.trigger ?? 'schedule',
      requestedAt: new Date(Date.now() - (options.ageMs ?? 0)),
      correlationId: randomUUID(),
      traceparent: null,
    });
    return crawlId;
  }

  async function row(crawlId: string) {
    const [found] = await em().execute<
      {
        status: string;
        attempts: number;
        lease_token: string;
        lease_owner: string | null;
        next_attempt_at: Date | null;
        failure_code: string | null;
      }[]
    >('select * from crawler.crawl_runs where crawl_id = ?', [crawlId]);
    return found;
  }

  function workerWith(crawl: Crawl, owner: string, overrides: Partial<CrawlLimits> = {}): CrawlWorker {
    return new CrawlWorker(
      orm,
      store,
      writer('crawler'),
      { crawl },
      { now: () => new Date() },
      { ...limits, ...overrides },
      owner,
      logger,
    );
  }

  const shelf: CrawledShelf = { items: [], pagesFetched: 1, orderFidelity: 'exact' };

  describe('claims', () => {
    it("carry the keyword and its tracked products' ids, and no keyword once it left the schedule", async () => {
      const crawlId = await requestRun(randomUUID());
      const [{ keyword_id: keywordId, tenant_id: tenantId } = { keyword_id: '', tenant_id: '' }] = await em().execute<
        { keyword_id: string; tenant_id: string }[]
      >('select keyword_id, tenant_id from crawler.crawl_runs where crawl_id = ?', [crawlId]);
      for (const externalId of ['p-1', 'p-2']) {
        const productId = randomUUID();
        await em().execute(
          `insert into crawler.products (product_id, tenant_id, marketplace, external_id, version) values (?, ?, 'naver', ?, 1)`,
          [productId, tenantId, externalId],
          'run',
        );
        await em().execute(
          'insert into crawler.keyword_products (keyword_id, product_id, version) values (?, ?, 1)',
          [keywordId, productId],
          'run',
        );
      }
      const claimed = await store.claimNext(em(), 'replica-a', 60_000);
      expect(claimed?.run.crawlId).toBe(crawlId);
      expect(claimed?.keyword).toMatchObject({ keywordId, tenantId, marketplace: 'naver', text: 'earbuds' });
      expect(claimed?.tracked.sort()).toEqual(['p-1', 'p-2']);

      const orphan = await requestRun(randomUUID());
      await em().execute(
        'delete from crawler.keywords where keyword_id = (select keyword_id from crawler.crawl_runs where crawl_id = ?)',
        [orphan],
        'run',
      );
      const removed = await store.claimNext(em(), 'replica-a', 60_000);
      expect(removed?.run.crawlId).toBe(orphan);
      expect(removed?.keyword).toBeNull();
      expect(removed?.tracked).toEqual([]);
    });
  });

  describe('leases', () => {
    it('a holder whose lease expired and was taken over can neither renew nor complete; the new holder can', async () => {
      const crawlId = await requestRun(randomUUID());
      const first = await store.claimNext(em(), 'replica-a', 1);
      expect(first?.run.crawlId).toBe(crawlId);
      // Lease times are the database's: the 1 ms lease is over once the database says so.
      const second = await eventually(async () => {
        const taken = await store.claimNext(em(), 'replica-b', 60_000);
        expect(taken).not.toBeNull();
        return taken;
      });
      expect(second?.run.crawlId).toBe(crawlId);
      expect(second?.lease.token).toBe((first?.lease.token ?? 0) + 1);
      const outcome = { status: 'completed' as const, at: new Date(), pagesFetched: 1, itemCount: 0 };
      const stale = first?.lease ?? { owner: 'replica-a', token: -1 };
      expect(await store.renewLease(em(), crawlId, stale, 60_000)).toBe(false);
      expect(await store.finish(em(), crawlId, stale, outcome)).toBe(false);
      expect(await row(crawlId)).toMatchObject({ status: 'running', lease_owner: 'replica-b', attempts: 2 });
      expect(await store.finish(em(), crawlId, second?.lease ?? stale, outcome)).toBe(true);
      expect(await row(crawlId)).toMatchObject({ status: 'completed' });
    });

    it('two workers never hold one run at once: 30 runs, 6 workers claiming concurrently, each run claimed once', async () => {
      const runs = await Promise.all(Array.from({ length: 30 }, () => requestRun(randomUUID())));
      const claimedBy = new Map<string, string[]>();
      await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          for (;;) {
            const claimed = await em().transactional((tx) => store.claimNext(tx, `worker-${i}`, 60_000));
            if (!claimed) {
              return;
            }
            claimedBy.set(claimed.run.crawlId, [...(claimedBy.get(claimed.run.crawlId) ?? []), `worker-${i}`]);
          }
        }),
      );
      expect([...claimedBy.keys()].sort()).toEqual([...runs].sort());
      expect([...claimedBy.values()].every((owners) => owners.length === 1)).toBe(true);
    });

    it('a worker whose lease renewal finds the run taken over aborts its crawl and records nothing', async () => {
      const crawlId = await requestRun(randomUUID());
      let reason: unknown;
      const crawl: Crawl = ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(new Error('aborted'));
          });
        });
      const running = workerWith(crawl, 'replica-a', { leaseMs: 300 }).runNext();
      await eventually(async () =>
        expect(await row(crawlId)).toMatchObject({ status: 'running', lease_owner: 'replica-a' }),
      );
      // Another replica's claim (as after a lease expiry): a new fencing token.
      await em().execute(
        `update crawler.crawl_runs set lease_token = lease_token + 1, lease_owner = 'replica-b' where crawl_id = ?`,
        [crawlId],
        'run',
      );
      await running;
      expect(reason).toMatchObject({ code: 'lease_lost' });
      expect(await row(crawlId)).toMatchObject({ status: 'running', lease_owner: 'replica-b', failure_code: null });
    });

    it('a renewal that fails (the database refuses it) aborts the crawl as lease_lost, logged as a warning of CrawlWorker', async () => {
      const crawlId = await requestRun(randomUUID());
      let reason: unknown;
      const crawl: Crawl = ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(new Error('aborted'));
          });
        });
      const failing = Object.assign(Object.create(store) as CrawlStore, {
        renewLease: () => Promise.reject(new Error('connection terminated')),
      });
      const captured = capturingLogger('crawler');
      const worker = new CrawlWorker(
        orm,
        failing,
        writer('crawler'),
        { crawl },
        { now: () => new Date() },
        { ...limits, leaseMs: 300 },
        'replica-a',
        captured.logger,
      );
      await worker.runNext();
      expect(reason).toMatchObject({ code: 'lease_lost' });
      expect(String((reason as Error).message)).toContain('connection terminated');
      expect(await row(crawlId)).toMatchObject({ status: 'running', failure_code: null });
      // The service's pino logger, named by the provider: operators filter on `context`.
      expect(captured.entries()).toContainEqual(
        expect.objectContaining({ level: 'warn', context: 'CrawlWorker', service: 'crawler', crawlId }),
      );
    });
  });

  describe('retries', () => {
    async function failedEvents(crawlId: string) {
      const rows = await em().execute<{ payload: string }[]>(
        `select payload from crawler.outbox where event_type = 'crawl.failed' and payload::jsonb->'data'->>'crawlId' = ?
          order by position`,
        [crawlId],
      );
      return rows.map((r) => (JSON.parse(r.payload) as { data: Record<string, unknown> }).data);
    }

    async function runUntil(worker: CrawlWorker, crawlId: string, status: string): Promise<void> {
      await eventually(
        async () => {
          await worker.runNext();
          expect((await row(crawlId))?.status).toBe(status);
        },
        10_000,
        10,
      );
    }

    it('retries an upstream error on the same run, which then completes with 2 attempts', async () => {
      const crawlId = await requestRun(randomUUID());
      let calls = 0;
      const crawl: Crawl = () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(Object.assign(new Error('HTTP 503'), { code: 'upstream_error' }))
          : Promise.resolve(shelf);
      };
      const worker = workerWith(crawl, 'replica-a');
      await worker.runNext();
      const waiting = await row(crawlId);
      expect(waiting).toMatchObject({ status: 'requested', attempts: 1, failure_code: 'upstream_error' });
      expect(waiting?.next_attempt_at).not.toBeNull();
      expect(await failedEvents(crawlId)).toEqual([
        expect.objectContaining({
          attempt: 1,
          willRetry: true,
          nextAttemptAt: expect.any(String),
          code: 'upstream_error',
        }),
      ]);
      await runUntil(worker, crawlId, 'completed');
      expect(await row(crawlId)).toMatchObject({ attempts: 2, failure_code: null, next_attempt_at: null });
    });

    it('fails a permanent failure at once, and a retryable one for good after the last attempt', async () => {
      const denied = await requestRun(randomUUID());
      const auth = workerWith(
        () => Promise.reject(Object.assign(new Error('401'), { code: 'auth_failed' })),
        'replica-a',
      );
      await auth.runNext();
      expect(await row(denied)).toMatchObject({ status: 'failed', attempts: 1, failure_code: 'auth_failed' });
      expect(await failedEvents(denied)).toEqual([
        expect.objectContaining({ attempt: 1, willRetry: false, nextAttemptAt: null }),
      ]);

      const down = await requestRun(randomUUID());
      const outage = workerWith(
        () => Promise.reject(Object.assign(new Error('503'), { code: 'upstream_error' })),
        'replica-a',
      );
      await runUntil(outage, down, 'failed');
      expect(await row(down)).toMatchObject({ attempts: 3, failure_code: 'upstream_error' });
      expect((await failedEvents(down)).map((e) => [e.attempt, e.willRetry])).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
    });

    it('does not claim a run before its next attempt is due', async () => {
      const crawlId = await requestRun(randomUUID());
      await em().execute(
        `update crawler.crawl_runs set next_attempt_at = now() + interval '1 hour' where crawl_id = ?`,
        [crawlId],
        'run',
      );
      expect(await store.claimNext(em(), 'replica-a', 60_000)).toBeNull();
      await em().execute(
        `update crawler.crawl_runs set next_attempt_at = now() - interval '1 second' where crawl_id = ?`,
        [crawlId],
        'run',
      );
      expect((await store.claimNext(em(), 'replica-a', 60_000))?.run.crawlId).toBe(crawlId);
    });
  });

  describe('fair claiming', () => {
    it('serves a manual crawl first and every tenant’s scheduled runs before a big backlog’s second', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      // A's 200 scheduled runs are the oldest, B's 3 younger, C's manual crawl the youngest of all.
      for (let i = 0; i < 200; i++) {
        await requestRun(a, { ageMs: 600_000 - i });
      }
      const ofB = [
        await requestRun(b, { ageMs: 1_000 }),
        await requestRun(b, { ageMs: 900 }),
        await requestRun(b, { ageMs: 800 }),
      ];
      const manual = await requestRun(c, { trigger: 'manual', ageMs: 0 });
      const order: string[] = [];
      for (let i = 0; i < 8; i++) {
        const claimed = await store.claimNext(em(), 'replica-a', 60_000);
        order.push(claimed?.run.crawlId ?? 'none');
      }
      const tenantOf = (id: string): string => (id === manual ? 'C' : ofB.includes(id) ? 'B' : 'A');
      // The manual crawl, then round-robin: B's runs come within the first claims, not after A's 200.
      expect(order.map(tenantOf).join('')).toBe('CABABABA');
    });

    it('takes an expired lease first, then manual runs oldest first, then scheduled runs', async () => {
      const tenant = randomUUID();
      const scheduled = await requestRun(tenant, { ageMs: 900_000 });
      const [olderManual, manual] = [
        await requestRun(tenant, { trigger: 'manual', ageMs: 20_000 }),
        await requestRun(tenant, { trigger: 'manual', ageMs: 10_000 }),
      ];
      const stalled = await requestRun(tenant, { ageMs: 0 });
      await em().execute(
        `update crawler.crawl_runs set status = 'running', lease_until = now() - interval '1 second'
          where crawl_id = ?`,
        [stalled],
        'run',
      );
      const order: (string | undefined)[] = [];
      for (let i = 0; i < 5; i++) {
        order.push((await store.claimNext(em(), 'replica-a', 60_000))?.run.crawlId);
      }
      expect(order).toEqual([stalled, olderManual, manual, scheduled, undefined]);
    });
  });

  describe('claiming under a backlog', () => {
    /** `count` waiting runs of `tenants` tenants in one statement (a keyword each: one active run per keyword). */
    async function backlog(count: number, tenants: string[], trigger: 'schedule' | 'manual'): Promise<void> {
      await em().execute(
        `with k as (
           insert into crawler.keywords (keyword_id, tenant_id, marketplace, text, interval_minutes, next_due_at)
           select gen_random_uuid(), (?::uuid[])[1 + i % ?], 'naver', 'backlog ' || i, 60, now() + interval '1 day'
             from generate_series(1, ?) as i
           returning keyword_id, tenant_id
         )
         insert into crawler.crawl_runs (crawl_id, tenant_id, keyword_id, trigger, status, requested_at, correlation_id)
         select gen_random_uuid(), tenant_id, keyword_id, ?, 'requested', now() - random() * interval '1 hour',
                gen_random_uuid()
           from k`,
        [`{${tenants.join(',')}}`, tenants.length, count, trigger],
        'run',
      );
      await em().execute('vacuum analyze crawler.crawl_runs', [], 'run');
    }

    /** Ends the manual runs, so that the claim's third step runs (vacuumed: no dead index entries left to skip). */
    async function failManualRuns(): Promise<void> {
      await em().execute(`update crawler.crawl_runs set status = 'failed' where trigger = 'manual'`, [], 'run');
      await em().execute('vacuum analyze crawler.crawl_runs', [], 'run');
    }

    /**
     * Buffers the claim's choice of a run reads (EXPLAIN ANALYZE of `NEXT_CLAIM` alone, rolled back): the update
     * that follows writes an entry into each of the table's indexes, whose depth grows with the table, and is
     * the same whichever query chose the run.
     */
    async function claimBuffers(): Promise<number> {
      type Plan = { 'QUERY PLAN': { Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }[] };
      let buffers = -1;
      const rolledBack = new Error('rolled back');
      await orm.em
        .fork()
        .transactional(async (tx) => {
          const [plan] = await tx.execute<Plan[]>(
            `explain (analyze, buffers, format json) select ${NEXT_CLAIM} as crawl_id`,
          );
          const root = plan?.['QUERY PLAN'][0]?.Plan;
          buffers = (root?.['Shared Hit Blocks'] ?? 0) + (root?.['Shared Read Blocks'] ?? 0);
          throw rolledBack;
        })
        .catch((error: unknown) => {
          if (error !== rolledBack) {
            throw error;
          }
        });
      return buffers;
    }

    it('reads about as much to claim with 4,000 runs waiting as with 40', async () => {
      const tenants = Array.from({ length: 20 }, () => randomUUID());
      await backlog(20, tenants, 'manual');
      await backlog(20, tenants, 'schedule');
      const smallManual = await claimBuffers();
      await failManualRuns();
      const smallScheduled = await claimBuffers();
      await backlog(2_000, tenants, 'manual');
      await backlog(2_000, tenants, 'schedule');
      const largeManual = await claimBuffers();
      await failManualRuns();
      const largeScheduled = await claimBuffers();
      // Measured: 5 → 6 buffers (manual) and 30 → 55–58 (scheduled: one index descent per waiting tenant, one
      // level deeper at 4,000 runs). The query this replaced sorted every claimable run: 48 → 76 and 4 → 111.
      expect(largeManual).toBeLessThanOrEqual(smallManual + 3);
      expect(largeScheduled).toBeLessThanOrEqual(smallScheduled + 2 * tenants.length);
      expect(largeScheduled).toBeLessThan(100);
    });

    it('locks only the run it claims', async () => {
      const tenants = [randomUUID(), randomUUID()];
      await backlog(10, tenants, 'manual');
      await backlog(10, tenants, 'schedule');
      await orm.em.fork().transactional(async (tx) => {
        const claimed = await store.claimNext(tx, 'replica-a', 60_000);
        expect(claimed).not.toBeNull();
        // Another connection can lock every other waiting run: the claim held none of them.
        const [free] = await em().execute<{ n: string }[]>(
          `select count(*) as n from (select 1 from crawler.crawl_runs where status = 'requested'
                                       for update skip locked) as unlocked`,
        );
        expect(Number(free?.n)).toBe(19);
      });
    });
  });
});
