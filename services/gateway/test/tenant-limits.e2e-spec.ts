import { Client } from 'pg';
import { Page, RankingProductView } from '@shelfwatch/contracts';
import { Api, ApiResponse, Platform, startPlatform } from './gateway.e2e-harness';

const MAX_PRODUCTS = 3;
const MAX_KEYWORDS_PER_PRODUCT = 2;
const MAX_KEYWORDS = 4;
const MAX_KEYS = 3;
const limitProblem = 'https://shelfwatch.dev/problems/limit-exceeded';

function product(n: number, keywords: string[] = []): Record<string, unknown> {
  return { marketplace: 'naver', externalId: `p-${n}`, name: `Product ${n}`, price: 1_000, keywords };
}

/** A tenant trying to track more than its limits allow, one request at a time and all at once. */
describe('per-tenant limits of the catalog', () => {
  let platform: Platform;
  let api: Api;

  beforeAll(async () => {
    platform = await startPlatform(
      [],
      { GATEWAY_MAX_API_KEYS_PER_TENANT: String(MAX_KEYS) },
      {
        RANKING_MAX_PRODUCTS_PER_TENANT: String(MAX_PRODUCTS),
        RANKING_MAX_KEYWORDS_PER_PRODUCT: String(MAX_KEYWORDS_PER_PRODUCT),
        RANKING_MAX_KEYWORDS_PER_TENANT: String(MAX_KEYWORDS),
      },
    );
    api = platform.api;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function total(key: string): Promise<number> {
    return (await api.call<Page<RankingProductView>>('GET', '/v1/products', { key })).body.total;
  }

  it('lets exactly the limit through when creates race at the boundary, and answers the rest 409', async () => {
    const { apiKey } = await api.tenant('racer');
    const answers: ApiResponse<{ type?: string; detail?: string }>[] = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        api.call<{ type?: string; detail?: string }>('POST', '/v1/products', { key: apiKey, body: product(n) }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(MAX_PRODUCTS);
    expect(statuses.filter((status) => status === 409)).toHaveLength(12 - MAX_PRODUCTS);
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body).toMatchObject({ type: limitProblem });
      expect(refused.body.detail).toContain(`${MAX_PRODUCTS} products per tenant`);
    }
    expect(await total(apiKey)).toBe(MAX_PRODUCTS);
  });

  it("does not count another tenant's products", async () => {
    const { apiKey } = await api.tenant('neighbour');
    expect((await api.call('POST', '/v1/products', { key: apiKey, body: product(1) })).status).toBe(201);
  });

  it('refuses too many keywords on one product, storing nothing of the request', async () => {
    const { apiKey } = await api.tenant('wordy');
    const answer = await api.call<{ type?: string; detail?: string }>('POST', '/v1/products', {
      key: apiKey,
      body: product(1, ['a', 'b', 'c']),
    });
    expect(answer).toMatchObject({ status: 409, body: { type: limitProblem } });
    expect(answer.body.detail).toContain(`${MAX_KEYWORDS_PER_PRODUCT} keywords per product`);
    expect(await total(apiKey)).toBe(0);
  });

  it('issues API keys concurrently up to the limit only, and still lets a key be rotated at the limit', async () => {
    const { apiKey } = await api.tenant('keyring');
    // Each key takes 100 ms to insert, so that every issue has counted before the first has committed: only the
    // tenant's row lock keeps them from all seeing room for one more (without it, all six are issued).
    const sql = new Client({ connectionString: platform.environment.db.adminUrl });
    await sql.connect();
    await sql.query(`create function gateway.slow_key() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.1); return new; end $$`);
    await sql.query(
      'create trigger slow_key before insert on gateway.api_keys for each row execute function gateway.slow_key()',
    );
    let issued: ApiResponse<{ id: string; detail?: string }>[];
    try {
      issued = await Promise.all(
        Array.from({ length: 6 }, () =>
          api.call<{ id: string; detail?: string }>('POST', '/v1/api-keys', { key: apiKey, body: { label: 'ci' } }),
        ),
      );
    } finally {
      await sql.query('drop trigger slow_key on gateway.api_keys');
      await sql.query('drop function gateway.slow_key()');
      await sql.end();
    }
    expect(issued.filter((answer) => answer.status === 201)).toHaveLength(MAX_KEYS - 1);
    const refused = issued.filter((answer) => answer.status === 409);
    expect(refused).toHaveLength(6 - (MAX_KEYS - 1));
    expect(refused[0]?.body).toMatchObject({ type: limitProblem });
    expect(refused[0]?.body.detail).toContain(`${MAX_KEYS} live API keys per tenant`);
    const listed = await api.call<{ total: number }>('GET', '/v1/api-keys', { key: apiKey });
    expect(listed.body.total).toBe(MAX_KEYS);
    const some = issued.find((answer) => answer.status === 201)?.body.id ?? '';
    expect((await api.call('POST', `/v1/api-keys/${some}/rotate`, { key: apiKey })).status).toBe(201);
  });

  it('holds the keywords-per-tenant limit when keywords are attached concurrently', async () => {
    const { apiKey } = await api.tenant('collector');
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await api.call<{ id: string }>('POST', '/v1/products', { key: apiKey, body: product(n) })).body.id);
    }
    const adds = await Promise.all(
      ids.flatMap((id, n) =>
        ['x', 'y'].map((word) =>
          api.call('POST', `/v1/products/${id}/keywords`, { key: apiKey, body: { keyword: `${word}${n}` } }),
        ),
      ),
    );
    expect(adds.filter((answer) => answer.status === 201)).toHaveLength(MAX_KEYWORDS);
    expect(adds.filter((answer) => answer.status === 409)).toHaveLength(6 - MAX_KEYWORDS);
    const keywords = await api.call<{ total: number }>('GET', '/v1/keywords', { key: apiKey });
    expect(keywords.body.total).toBe(MAX_KEYWORDS);
  });
});
