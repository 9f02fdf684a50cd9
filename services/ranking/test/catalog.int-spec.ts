import { randomUUID } from 'node:crypto';
import { RpcRemoteError } from '@shelfwatch/messaging';
import { eventually } from '@shelfwatch/testing';
import { KeywordAttached } from '../src/catalog/keywords.service';
import { Page } from '@shelfwatch/contracts';
import { ProductView } from '../src/catalog/products.service';
import { RankingUnderTest, bootRanking, eventsOn } from './ranking.fixtures';

function aProduct(tenantId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenantId,
    marketplace: 'naver',
    externalId: `ext-${randomUUID()}`,
    name: 'Earbuds Pro',
    price: 59_000,
    ...overrides,
  };
}

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

describe('ranking catalog over request/reply', () => {
  let sut: RankingUnderTest;
  const tenantId = randomUUID();

  beforeAll(async () => {
    sut = await bootRanking();
  });

  afterAll(async () => {
    await sut?.booted.stop();
  });

  it('creates a product with its keywords and publishes product.added and one keyword.added per link', async () => {
    const correlationId = randomUUID();
    const product = await sut.rpc.request<ProductView>(
      'ranking.product.create',
      aProduct(tenantId, { keywords: ['  Wireless   EARBUDS ', 'bluetooth earbuds'], correlationId }),
    );
    expect(product.keywords.map((k) => k.keyword)).toEqual(['wireless earbuds', 'bluetooth earbuds']);

    const added = await eventually(async () => {
      const events = await eventsOn(sut, 'TRACKING', 'tracking.keyword.added');
      expect(events.filter((e) => e.data.productId === product.id)).toHaveLength(2);
      return events;
    });
    const [productAdded] = (await eventsOn(sut, 'TRACKING', 'tracking.product.added')).filter(
      (e) => e.data.productId === product.id,
    );
    expect(productAdded).toMatchObject({ tenantId, correlationId, causationId: null, data: { price: 59_000 } });
    expect(added.map((e) => [e.data.keywordId, e.data.keyword, e.data.intervalMinutes, e.correlationId])).toEqual(
      product.keywords.map((k) => [k.keywordId, k.keyword, 60, correlationId]),
    );
  });

  it('reuses the keyword id when another product of the tenant gets the same text', async () => {
    const first = await sut.rpc.request<ProductView>(
      'ranking.product.create',
      aProduct(tenantId, { keywords: ['usb hub'] }),
    );
    const second = await sut.rpc.request<ProductView>('ranking.product.create', aProduct(tenantId));
    const attached = await sut.rpc.request<KeywordAttached>('ranking.keyword.add', {
      tenantId,
      productId: second.id,
      keyword: 'USB  Hub',
    });
    expect(attached).toMatchObject({ keywordId: first.keywords[0]?.keywordId, created: true });
    const again = await sut.rpc.request<KeywordAttached>('ranking.keyword.add', {
      tenantId,
      productId: second.id,
      keyword: 'usb hub',
    });
    expect(again).toMatchObject({ keywordId: attached.keywordId, created: false });
  });

  it("answers not_found for another tenant's product, whatever the operation", async () => {
    const product = await sut.rpc.request<ProductView>('ranking.product.create', aProduct(tenantId));
    const intruder = { tenantId: randomUUID(), productId: product.id };
    for (const [subject, payload] of [
      ['ranking.product.get', intruder],
      ['ranking.product.update', { ...intruder, price: 1 }],
      ['ranking.product.delete', intruder],
      ['ranking.keyword.add', { ...intruder, keyword: 'stolen' }],
    ] as const) {
      expect(await refusal(sut.rpc.request(subject, payload))).toMatchObject({ code: 'not_found' });
    }
    await expect(sut.rpc.request('ranking.product.get', { tenantId, productId: product.id })).resolves.toMatchObject({
      id: product.id,
    });
  });

  it('answers invalid naming each bad field', async () => {
    const error = await refusal(
      sut.rpc.request('ranking.product.create', aProduct(tenantId, { price: -5, name: undefined })),
    );
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/price: /);
    expect(error.message).toMatch(/name: /);
    const limit = await refusal(sut.rpc.request('ranking.product.list', { tenantId, limit: 101 }));
    expect(limit).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^limit: /) as unknown });
  });

  it('answers conflict for a second product with the same marketplace id', async () => {
    const payload = aProduct(tenantId);
    await sut.rpc.request('ranking.product.create', payload);
    expect(await refusal(sut.rpc.request('ranking.product.create', payload))).toMatchObject({ code: 'conflict' });
  });

  it('lists products page by page with the total', async () => {
    const other = randomUUID();
    for (let i = 0; i < 3; i += 1) {
      await sut.rpc.request('ranking.product.create', aProduct(other));
    }
    const first = await sut.rpc.request<Page<ProductView>>('ranking.product.list', { tenantId: other, limit: 2 });
    expect(first).toMatchObject({ total: 3, items: [{}, {}] });
    const rest = await sut.rpc.request<Page<ProductView>>('ranking.product.list', {
      tenantId: other,
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(rest).toMatchObject({ total: 3, nextCursor: null });
    expect([...first.items, ...rest.items].map((p) => p.id)).toHaveLength(
      new Set([...first.items, ...rest.items].map((p) => p.id)).size,
    );
  });

  it('removes a product and publishes keyword.removed and product.removed', async () => {
    const product = await sut.rpc.request<ProductView>(
      'ranking.product.create',
      aProduct(tenantId, { keywords: ['gone soon'] }),
    );
    await sut.rpc.request('ranking.product.delete', { tenantId, productId: product.id });
    await eventually(async () => {
      const removed = await eventsOn(sut, 'TRACKING', 'tracking.product.removed');
      expect(removed.map((e) => e.data.productId)).toContain(product.id);
      const unlinked = await eventsOn(sut, 'TRACKING', 'tracking.keyword.removed');
      expect(unlinked.map((e) => e.data)).toContainEqual({
        productId: product.id,
        keywordId: product.keywords[0]?.keywordId,
        // The keyword's second event: added (1), removed (2).
        version: 2,
      });
    });
    expect(await refusal(sut.rpc.request('ranking.product.get', { tenantId, productId: product.id }))).toMatchObject({
      code: 'not_found',
    });
  });
});
