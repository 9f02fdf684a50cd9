import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Secret } from '@shelfwatch/config';
import { ormOptions } from '@shelfwatch/persistence';
import { TestEnvironment, createTestEnvironment } from '../../../../libs/platform/test/service-harness';
import { BudgetStore } from '../../src/budget/budget.store';
import { SharedRequestBudget } from '../../src/budget/shared-request-budget';
import { crawlerPersistence } from '../../src/crawler.persistence';
import { ResolvedCredential } from '../../src/marketplaces/marketplace-credentials';
import { MarketplaceError } from '../../src/marketplaces/marketplace-error';
import { MarketplaceRegistry } from '../../src/marketplaces/marketplace-registry';
import { NaverShoppingAdapter } from '../../src/marketplaces/naver/naver.adapter';
import { nextSeoulMidnight } from '../../src/marketplaces/naver/naver.parse';

/** The shared budget on the real Postgres, in this process: permits, aborts, tenant credentials, the pause. */
describe('SharedRequestBudget', () => {
  let environment: TestEnvironment;
  let orm: MikroORM;
  let budget: SharedRequestBudget;

  beforeAll(async () => {
    environment = await createTestEnvironment([crawlerPersistence]);
    orm = await MikroORM.init(ormOptions(crawlerPersistence, environment.db.adminUrl, 4));
    const registry = new MarketplaceRegistry([
      {
        id: 'naver',
        name: 'Naver Shopping',
        adapter: new NaverShoppingAdapter({ baseUrl: 'http://127.0.0.1:9' }),
        // A permit outlives its request timeout by 5 s: 5.1 s here.
        limits: { ratePerSecond: 100, maxConcurrency: 1, dailyQuota: 2, requestTimeoutMs: 100 },
        platformCredentials: null,
        credentialVariables: [],
        baseUrl: 'http://127.0.0.1:9',
        nextQuotaReset: (now) => nextSeoulMidnight(now.getTime()),
      },
    ]);
    budget = new SharedRequestBudget(orm, new BudgetStore(), registry);
  });

  afterAll(async () => {
    await orm?.close();
    await environment?.cleanup();
  });

  /** Credentials with a budget of their own, so each test starts from an empty budget. */
  function ownCredential(tenantId: string): ResolvedCredential {
    return {
      marketplace: 'naver',
      source: 'tenant',
      budgetKey: `naver:tenant:${tenantId}`,
      credentials: { clientId: new Secret('id'), clientSecret: new Secret('secret') },
    };
  }

  const rejectionOf = async (promise: Promise<unknown>): Promise<MarketplaceError> => {
    const error = await promise.then(
      () => new Error('expected a rejection'),
      (reason: unknown) => reason,
    );
    if (error instanceof MarketplaceError) {
      return error;
    }
    throw error instanceof Error ? error : new Error(String(error));
  };

  it('gives a permit that its holder never released (a crashed replica) back once it expires', async () => {
    const tenantId = randomUUID();
    const credential = ownCredential(tenantId);
    await budget.acquire({ credential, tenantId }); // never released
    // Waits (polling the shared state) until the first permit has expired.
    await budget.acquire({ credential, tenantId });
    const rows = await orm.em
      .fork()
      .execute<{ granted_at: Date; expires_at: Date }[]>(
        'select granted_at, expires_at from crawler.budget_permits where budget_key = ? order by granted_at',
        [credential.budgetKey],
      );
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(second && first && second.granted_at >= first.expires_at).toBe(true);
  }, 30_000);

  it('stops waiting for a permit when the crawl is aborted', async () => {
    const tenantId = randomUUID();
    const credential = ownCredential(tenantId);
    const held = await budget.acquire({ credential, tenantId });
    const controller = new AbortController();
    const waiting = rejectionOf(budget.acquire({ credential, tenantId, signal: controller.signal }));
    controller.abort();
    expect((await waiting).code).toBe('cancelled');
    await held.release();
  });

  it("holds a tenant's own credentials to their own quota, without a share, until the next reset", async () => {
    const tenantId = randomUUID();
    const credential = ownCredential(tenantId);
    for (let i = 0; i < 2; i++) {
      await (await budget.acquire({ credential, tenantId })).release();
    }
    const refused = await rejectionOf(budget.acquire({ credential, tenantId }));
    expect(refused.code).toBe('quota_exhausted');
    expect(refused.resumeAt?.toISOString()).toMatch(/T15:00:00\.000Z$/);
    const usage = await orm.em.fork().execute('select 1 from crawler.tenant_usage where tenant_id = ?', [tenantId]);
    expect(usage).toEqual([]);
  });

  it('refuses every request of a paused credential until the pause ends, and only of that credential', async () => {
    const tenantId = randomUUID();
    const credential = ownCredential(tenantId);
    const until = new Date(Date.now() + 3_600_000);
    await budget.pause(credential, until);
    const refused = await rejectionOf(budget.acquire({ credential, tenantId }));
    expect([refused.code, refused.resumeAt?.toISOString()]).toEqual(['quota_exhausted', until.toISOString()]);
    const other = randomUUID();
    await (await budget.acquire({ credential: ownCredential(other), tenantId: other })).release();
  });
});
