import { MikroORM } from '@mikro-orm/postgresql';
import { PLANS, RankingKeywordView } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { CrawlScheduler } from '../../crawler/src/schedule/crawl.scheduler';
import { ADMIN_KEY, Api, Platform, startPlatform } from './gateway.e2e-harness';

const problem = (slug: string): string => `https://shelfwatch.dev/problems/${slug}`;

interface Problem {
  type?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

interface CrawlerKeyword {
  paused: boolean;
  interval_minutes: number;
  next_due_at: Date;
}

/** Keywords a tenant manages (PATCH interval and pause) and plans that limit them, through the gateway. */
describe('keyword management and plans through the gateway', () => {
  let platform: Platform;
  let api: Api;
  let crawlerOrm: MikroORM;
  let scheduler: CrawlScheduler;

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    const crawler = platform.services[1];
    if (!crawler) {
      throw new Error('no crawler booted');
    }
    crawlerOrm = crawler.app.get(MikroORM);
    scheduler = crawler.app.get(CrawlScheduler);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function keywordOf(key: string, text: string, intervalMinutes?: number): Promise<string> {
    const created = await api.call<{ keywords: { keywordId: string }[] }>('POST', '/v1/products', {
      key,
      body: {
        marketplace: 'naver',
        externalId: `ext-${text}`,
        name: text,
        price: 1_000,
        keywords: [text],
        ...(intervalMinutes ? { intervalMinutes } : {}),
      },
    });
    const keywordId = created.body.keywords[0]?.keywordId;
    if (created.status !== 201 || !keywordId) {
      throw new Error(`product creation answered ${created.status}: ${created.text}`);
    }
    return keywordId;
  }

  async function scheduled(keywordId: string): Promise<CrawlerKeyword | undefined> {
    const [row] = await crawlerOrm.em
      .fork()
      .execute<CrawlerKeyword[]>(
        'select paused, interval_minutes, next_due_at from crawler.keywords where keyword_id = ?',
        [keywordId],
      );
    return row;
  }

  async function crawlRunsOf(keywordId: string): Promise<number> {
    const rows = await crawlerOrm.em
      .fork()
      .execute('select 1 from crawler.crawl_runs where keyword_id = ?', [keywordId]);
    return rows.length;
  }

  it('pauses a keyword so it is not crawled on schedule, while a manual crawl still is', async () => {
    const { apiKey: key } = await api.tenant('pauser');
    const paused = await keywordOf(key, 'paused lamp');
    const active = await keywordOf(key, 'active lamp');
    await eventually(async () => expect(await scheduled(paused)).toBeDefined());
    await eventually(async () => expect(await scheduled(active)).toBeDefined());

    const answer = await api.call<RankingKeywordView>('PATCH', `/v1/keywords/${paused}`, {
      key,
      body: { paused: true },
    });
    expect(answer).toMatchObject({ status: 200, body: { id: paused, paused: true, intervalMinutes: 60 } });
    await eventually(async () => expect(await scheduled(paused)).toMatchObject({ paused: true }));

    // Both overdue; one scheduler round requests the active one only.
    await crawlerOrm.em
      .fork()
      .execute(
        `update crawler.keywords set next_due_at = now() - interval '1 minute' where keyword_id in (?, ?)`,
        [paused, active],
        'run',
      );
    await scheduler.scheduleDue();
    expect(await crawlRunsOf(active)).toBe(1);
    expect(await crawlRunsOf(paused)).toBe(0);

    const manual = await api.call('POST', '/v1/crawls', { key, body: { keywordId: paused } });
    expect(manual.status).toBe(202);

    const listed = await api.call<{ items: RankingKeywordView[] }>('GET', '/v1/keywords', { key });
    expect(listed.body.items.find((item) => item.id === paused)).toMatchObject({ paused: true });
    expect(listed.body.items.find((item) => item.id === active)).toMatchObject({ paused: false });
  });

  it('brings the next crawl forward when the interval gets shorter, keeping the keyword id', async () => {
    const { apiKey: key } = await api.tenant('hurried');
    const keywordId = await keywordOf(key, 'slow lamp', 1_440);
    await eventually(async () => expect(await scheduled(keywordId)).toBeDefined());
    await crawlerOrm.em
      .fork()
      .execute(
        `update crawler.keywords set next_due_at = now() + interval '20 hours' where keyword_id = ?`,
        [keywordId],
        'run',
      );
    const before = Date.now();
    const answer = await api.call('PATCH', `/v1/keywords/${keywordId}`, { key, body: { intervalMinutes: 60 } });
    expect(answer).toMatchObject({ status: 200, body: { id: keywordId, intervalMinutes: 60, paused: false } });
    const row = await eventually(async () => {
      const found = await scheduled(keywordId);
      expect(found).toMatchObject({ interval_minutes: 60 });
      return found;
    });
    const due = new Date(row?.next_due_at ?? 0).getTime();
    expect(due).toBeGreaterThanOrEqual(before);
    expect(due).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
  });

  it("answers 404 for another tenant's keyword and 400 with field messages for bad bodies", async () => {
    const { apiKey: owner } = await api.tenant('owner');
    const { apiKey: stranger } = await api.tenant('stranger');
    const keywordId = await keywordOf(owner, 'owned lamp');
    const foreign = await api.call<Problem>('PATCH', `/v1/keywords/${keywordId}`, {
      key: stranger,
      body: { paused: true },
    });
    expect(foreign).toMatchObject({ status: 404, body: { type: problem('not-found') } });

    const bad: [unknown, string][] = [
      [{}, 'intervalMinutes'],
      [{ intervalMinutes: 2 }, 'intervalMinutes'],
      [{ intervalMinutes: 30.5 }, 'intervalMinutes'],
      [{ paused: 'yes' }, 'paused'],
      [{ pause: true }, '(root)'],
    ];
    for (const [body, field] of bad) {
      const answer = await api.call<Problem>('PATCH', `/v1/keywords/${keywordId}`, { key: owner, body });
      expect(answer).toMatchObject({ status: 400, body: { type: problem('validation') } });
      expect(answer.body.errors?.map((error) => error.field)).toContain(field);
    }
    const notAnId = await api.call('PATCH', '/v1/keywords/not-an-id', { key: owner, body: { paused: true } });
    expect(notAnId.status).toBe(400);
  });

  it('puts a tenant on the free plan: its 21st keyword is 409 and an interval below 6 hours is 400', async () => {
    const tenant = await api.tenant('frugal');
    const key = tenant.apiKey;
    const standard = await api.call<{ plan: unknown }>('GET', '/v1/tenant', { key });
    expect(standard.body.plan).toEqual({ name: 'standard', ...PLANS.standard });

    expect((await api.call('PUT', `/v1/tenants/${tenant.id}/plan`, { key, body: { plan: 'free' } })).status).toBe(403);
    const unknown = await api.call<Problem>('PUT', `/v1/tenants/${tenant.id}/plan`, {
      key: ADMIN_KEY,
      body: { plan: 'gold' },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain('free, standard, pro');
    const nobody = await api.call('PUT', '/v1/tenants/0190f3b4-0000-7000-8000-000000000000/plan', {
      key: ADMIN_KEY,
      body: { plan: 'free' },
    });
    expect(nobody.status).toBe(404);

    const put = await api.call('PUT', `/v1/tenants/${tenant.id}/plan`, { key: ADMIN_KEY, body: { plan: 'free' } });
    expect(put).toMatchObject({ status: 200, body: { name: 'free', ...PLANS.free } });
    expect((await api.call<{ plan: unknown }>('GET', '/v1/tenant', { key })).body.plan).toEqual({
      name: 'free',
      ...PLANS.free,
    });
    await eventually(async () => {
      const rows = await crawlerOrm.em
        .fork()
        .execute('select plan, share_weight from crawler.tenant_plans where tenant_id = ?', [tenant.id]);
      expect(rows).toEqual([{ plan: 'free', share_weight: PLANS.free.shareWeight }]);
    });

    const tooOften = await api.call<Problem>('POST', '/v1/products', {
      key,
      body: {
        marketplace: 'naver',
        externalId: 'often',
        name: 'often',
        price: 1,
        keywords: ['often'],
        intervalMinutes: 60,
      },
    });
    expect(tooOften).toMatchObject({ status: 400, body: { type: problem('validation') } });
    expect(tooOften.body.errors).toContainEqual(
      expect.objectContaining({ field: 'intervalMinutes', message: expect.stringContaining('at least 360 minutes') }),
    );

    const texts = Array.from({ length: PLANS.free.maxKeywords }, (_, n) => `lamp ${n}`);
    const product = await api.call<{ id: string; keywords: { keywordId: string }[] }>('POST', '/v1/products', {
      key,
      body: { marketplace: 'naver', externalId: 'many', name: 'many', price: 1, keywords: texts },
    });
    expect(product.status).toBe(201);
    const twentyFirst = await api.call<Problem>('POST', `/v1/products/${product.body.id}/keywords`, {
      key,
      body: { keyword: 'one too many' },
    });
    expect(twentyFirst).toMatchObject({ status: 409, body: { type: problem('limit-exceeded') } });
    expect(twentyFirst.body.detail).toContain(`${PLANS.free.maxKeywords} keywords per tenant`);

    const keywordId = product.body.keywords[0]?.keywordId ?? '';
    const patch = await api.call<Problem>('PATCH', `/v1/keywords/${keywordId}`, {
      key,
      body: { intervalMinutes: 120 },
    });
    expect(patch).toMatchObject({ status: 400, body: { type: problem('validation') } });
    expect(patch.body.detail).toContain('at least 360 minutes on the free plan');
  });
});
