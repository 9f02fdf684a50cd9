import { randomUUID } from 'node:crypto';
import { PLANS, Page, RankingKeywordView, RankingTenantPlanView } from '@shelfwatch/contracts';
import { RpcRemoteError } from '@shelfwatch/messaging';
import { eventually } from '@shelfwatch/testing';
import { ProductView } from '../src/catalog/products.service';
import { RankingUnderTest, bootRanking, eventsOn } from './ranking.fixtures';

async function refusal(call: Promise<unknown>): Promise<RpcRemoteError> {
  const error = await call.then(
    () => new Error('expected a refusal'),
    (caught: unknown) => caught,
  );
  if (!(error instanceof RpcRemoteError)) {
    throw error;
  }
  return error;
}

/** Keyword management (interval, pause) and tenant plans over the ranking's request/reply. */
describe('keyword management and plans in the ranking', () => {
  let sut: RankingUnderTest;

  beforeAll(async () => {
    sut = await bootRanking();
    // Answering at all: the first request of a loaded machine must not race the service's subscriptions.
    await eventually(() => sut.rpc.request('ranking.tenant.plan.get', { tenantId: randomUUID() }), 30_000);
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  function createProduct(tenantId: string, keywords: string[], extra: Record<string, unknown> = {}) {
    return sut.rpc.request<ProductView>('ranking.product.create', {
      tenantId,
      marketplace: 'naver',
      externalId: `ext-${randomUUID()}`,
      name: 'Earbuds',
      price: 10_000,
      keywords,
      ...extra,
    });
  }

  async function keywordEvents(keywordId: string): Promise<{ type: string; version?: number }[]> {
    const types = ['tracking.keyword.added', 'tracking.keyword.updated', 'tracking.keyword.removed'] as const;
    const all = await Promise.all(types.map((type) => eventsOn(sut, 'TRACKING', type)));
    return all
      .flat()
      .filter((event) => event.data.keywordId === keywordId)
      .map((event) => ({ type: event.type, version: event.data.version }))
      .sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
  }

  it('changes interval and pause in place, the keyword keeping its id, each change a newer version', async () => {
    const tenantId = randomUUID();
    const first = await createProduct(tenantId, ['desk lamp']);
    const keywordId = first.keywords[0]?.keywordId ?? '';
    const second = await createProduct(tenantId, ['desk lamp']);
    const paused = await sut.rpc.request<RankingKeywordView>('ranking.keyword.update', {
      tenantId,
      keywordId,
      paused: true,
    });
    expect(paused).toMatchObject({ id: keywordId, paused: true, intervalMinutes: 60 });
    const slower = await sut.rpc.request<RankingKeywordView>('ranking.keyword.update', {
      tenantId,
      keywordId,
      intervalMinutes: 180,
    });
    expect(slower).toMatchObject({ id: keywordId, paused: true, intervalMinutes: 180 });
    // Nothing changes: nothing announced.
    await sut.rpc.request('ranking.keyword.update', { tenantId, keywordId, intervalMinutes: 180 });
    await sut.rpc.request('ranking.keyword.remove', { tenantId, productId: second.id, keywordId });
    await eventually(
      async () =>
        expect(await keywordEvents(keywordId)).toEqual([
          { type: 'tracking.keyword.added', version: 1 },
          { type: 'tracking.keyword.added', version: 2 },
          { type: 'tracking.keyword.updated', version: 3 },
          { type: 'tracking.keyword.updated', version: 4 },
          { type: 'tracking.keyword.removed', version: 5 },
        ]),
      30_000,
    );
    const updates = (await eventsOn(sut, 'TRACKING', 'tracking.keyword.updated')).filter(
      (event) => event.data.keywordId === keywordId,
    );
    expect(updates.map((event) => event.data)).toEqual([
      { keywordId, intervalMinutes: 60, paused: true, version: 3 },
      { keywordId, intervalMinutes: 180, paused: true, version: 4 },
    ]);
    const listed = await sut.rpc.request<Page<RankingKeywordView>>('ranking.keyword.list', { tenantId, limit: 10 });
    expect(listed.items).toEqual([
      {
        id: keywordId,
        marketplace: 'naver',
        site: null,
        keyword: 'desk lamp',
        intervalMinutes: 180,
        paused: true,
        productIds: [first.id],
        crawlHealth: { failing: false, consecutiveFailures: 0, lastError: null, lastCrawledAt: null },
      },
    ]);
  });

  it("answers not found for another tenant's keyword and changes nothing", async () => {
    const owner = randomUUID();
    const product = await createProduct(owner, ['not yours']);
    const keywordId = product.keywords[0]?.keywordId ?? '';
    const error = await refusal(
      sut.rpc.request('ranking.keyword.update', { tenantId: randomUUID(), keywordId, paused: true }),
    );
    expect(error.code).toBe('not_found');
    const listed = await sut.rpc.request<Page<RankingKeywordView>>('ranking.keyword.list', {
      tenantId: owner,
      limit: 10,
    });
    expect(listed.items[0]?.paused).toBe(false);
  });

  it('refuses an update without a change, or with an interval out of bounds', async () => {
    const tenantId = randomUUID();
    const keywordId = (await createProduct(tenantId, ['bounds'])).keywords[0]?.keywordId ?? '';
    for (const change of [{}, { intervalMinutes: 4 }, { intervalMinutes: 10_081 }, { paused: 'yes' }]) {
      const error = await refusal(sut.rpc.request('ranking.keyword.update', { tenantId, keywordId, ...change }));
      expect(error.code).toBe('invalid');
    }
  });

  it('puts a tenant on the standard plan by default, and announces each change with a newer version', async () => {
    const tenantId = randomUUID();
    expect(await sut.rpc.request<RankingTenantPlanView>('ranking.tenant.plan.get', { tenantId })).toEqual({
      name: 'standard',
      ...PLANS.standard,
    });
    await sut.rpc.request('ranking.tenant.plan.set', { tenantId, plan: 'free' });
    const pro = await sut.rpc.request<RankingTenantPlanView>('ranking.tenant.plan.set', { tenantId, plan: 'pro' });
    expect(pro).toEqual({ name: 'pro', ...PLANS.pro });
    expect(await sut.rpc.request('ranking.tenant.plan.get', { tenantId })).toEqual(pro);
    await eventually(async () => {
      const changes = (await eventsOn(sut, 'TRACKING', 'tracking.tenant.plan.changed')).filter(
        (event) => event.tenantId === tenantId,
      );
      expect(changes.map((event) => [event.data.plan, event.data.shareWeight, event.data.version])).toEqual([
        ['free', PLANS.free.shareWeight, 1],
        ['pro', PLANS.pro.shareWeight, 2],
      ]);
    }, 30_000);
    const unknown = await refusal(sut.rpc.request('ranking.tenant.plan.set', { tenantId, plan: 'platinum' }));
    expect(unknown.message).toContain('free, standard, pro');
  });

  it("enforces the plan's minimum interval on create, add and update, and defaults to it", async () => {
    const tenantId = randomUUID();
    await sut.rpc.request('ranking.tenant.plan.set', { tenantId, plan: 'free' });
    const min = PLANS.free.minIntervalMinutes;
    const tooOften = await refusal(createProduct(tenantId, ['often'], { intervalMinutes: min - 1 }));
    expect(tooOften).toMatchObject({ code: 'invalid' });
    expect(tooOften.message).toBe(`intervalMinutes: must be at least ${min} minutes on the free plan`);
    const product = await createProduct(tenantId, ['by default']);
    const keywordId = product.keywords[0]?.keywordId ?? '';
    expect(product.keywords[0]?.intervalMinutes).toBe(min);
    const add = refusal(
      sut.rpc.request('ranking.keyword.add', { tenantId, productId: product.id, keyword: 'x', intervalMinutes: 60 }),
    );
    expect(await add).toMatchObject({ code: 'invalid' });
    const update = refusal(sut.rpc.request('ranking.keyword.update', { tenantId, keywordId, intervalMinutes: 60 }));
    expect(await update).toMatchObject({ code: 'invalid' });
  });

  it('refuses keywords beyond the plan, and after a downgrade keeps what the tenant has but refuses more', async () => {
    const tenantId = randomUUID();
    const texts = Array.from({ length: PLANS.free.maxKeywords + 2 }, (_, n) => `keyword ${n}`);
    const product = await createProduct(tenantId, texts.slice(0, 40));
    await createProduct(tenantId, texts.slice(40));
    await sut.rpc.request('ranking.tenant.plan.set', { tenantId, plan: 'free' });
    const listed = await sut.rpc.request<Page<RankingKeywordView>>('ranking.keyword.list', { tenantId, limit: 1 });
    expect(listed.total).toBe(texts.length);
    const refused = await refusal(
      sut.rpc.request('ranking.keyword.add', {
        tenantId,
        productId: product.id,
        keyword: 'one more',
        intervalMinutes: 720,
      }),
    );
    expect(refused.code).toBe('limit_exceeded');
    expect(refused.message).toContain(`at most ${PLANS.free.maxKeywords} keywords per tenant (free plan)`);
  });
});
