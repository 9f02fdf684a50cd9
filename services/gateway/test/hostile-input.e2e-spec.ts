import { MARKETPLACES, Page, RANKING_RPC, RankingProductView } from '@shelfwatch/contracts';
import { rpcSubject } from '@shelfwatch/messaging';
import { Api, Platform, startPlatform } from './gateway.e2e-harness';

interface FieldProblem {
  status: number;
  errors?: { in: string; field: string; message: string }[];
}

const product = { marketplace: 'naver', externalId: 'p-1', name: 'Kettle', price: 25_000 };

/** Text and numbers a hostile or careless client sends: each must be a 400 naming the field, and store nothing. */
describe('hostile input through the gateway', () => {
  let platform: Platform;
  let api: Api;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    key = (await api.tenant('acme')).apiKey;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function productsStored(): Promise<number> {
    return (await api.call<Page<RankingProductView>>('GET', '/v1/products', { key })).body.total;
  }

  it.each([
    ['a NUL in the name', { ...product, name: 'Kettle\u0000<script>' }, 'name'],
    ['a line break in the external id', { ...product, externalId: 'p-1\r\nX-Injected: 1' }, 'externalId'],
    ['an escape sequence in a keyword', { ...product, keywords: ['kettle', 'red\u001b[31m'] }, 'keywords.1'],
    ['a price beyond numeric(14, 2)', { ...product, price: 1e12 }, 'price'],
    ['a price of 1e308', { ...product, price: 1e308 }, 'price'],
  ])('answers 400 naming the field to %s, storing nothing', async (_what, body, field) => {
    const answer = await api.call<FieldProblem>('POST', '/v1/products', { key, body });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((error) => error.field)).toContain(field);
    expect(await productsStored()).toBe(0);
  });

  it('answers 400 listing the known marketplaces to an unknown one', async () => {
    const answer = await api.call<FieldProblem>('POST', '/v1/products', {
      key,
      body: { ...product, marketplace: 'amazon' },
    });
    expect(answer.status).toBe(400);
    const error = answer.body.errors?.find((candidate) => candidate.field === 'marketplace');
    for (const known of MARKETPLACES) {
      expect(error?.message).toContain(known);
    }
    expect(await productsStored()).toBe(0);
  });

  it('names a control character in a query and in an API key label', async () => {
    const query = await api.call<FieldProblem>('GET', '/v1/products?cursor=abc%00', { key });
    expect(query.status).toBe(400);
    expect(query.body.errors).toContainEqual(expect.objectContaining({ in: 'query', field: 'cursor' }));
    const label = await api.call<FieldProblem>('POST', '/v1/api-keys', { key, body: { label: 'ci\u0007' } });
    expect(label.status).toBe(400);
    expect(label.body.errors).toContainEqual(expect.objectContaining({ in: 'body', field: 'label' }));
  });

  it('accepts the largest price the column holds, and a known marketplace in any case', async () => {
    const answer = await api.call<RankingProductView>('POST', '/v1/products', {
      key,
      body: { ...product, marketplace: ' NAVER ', price: 999_999_999_999 },
    });
    expect(answer).toMatchObject({ status: 201, body: { marketplace: 'naver', price: 999_999_999_999 } });
  });

  it('refuses the same input sent straight to the ranking service over NATS, not only at the edge', async () => {
    const { nc, topology } = platform.environment.nats;
    const tenantId = (await api.call<{ id: string }>('GET', '/v1/tenant', { key })).body.id;
    const reply = await nc.request(
      rpcSubject(topology, RANKING_RPC.productCreate),
      JSON.stringify({ ...product, externalId: 'p-2', name: 'Nul\u0000', tenantId }),
      { timeout: 5_000 },
    );
    expect(reply.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('name') },
    });
  });
});
