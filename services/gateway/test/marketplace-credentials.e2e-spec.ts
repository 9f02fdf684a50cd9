import { Client } from 'pg';
import { CRAWLER_RPC } from '@shelfwatch/contracts';
import { Downstream } from '../src/downstream/downstream';
import { Api, Platform, crawlAndWait, startPlatform, trackProductAt } from './gateway.e2e-harness';

/** Credentials the simulator accepts (it accepts any id with a non-empty secret that no fault rejects). */
const A_ID = 'tenant-a-naver-client-7Q2x';
const A_SECRET = 'tenant-a-naver-secret-Zk81';
const PLATFORM_ID = 'client';
const PROBLEM = 'https://shelfwatch.dev/problems/';

interface Tenant {
  id: string;
  apiKey: string;
}

describe('tenants bring their own marketplace credentials (gateway → crawler → simulator)', () => {
  let platform: Platform;
  let api: Api;
  let a: Tenant;
  let b: Tenant;

  const requestsOf = (clientId: string): number => platform.sim.control.stats().clients[clientId]?.requests ?? 0;
  const put = (tenant: Tenant, body: unknown, marketplace = 'naver') =>
    api.call<Record<string, unknown>>('PUT', `/v1/marketplaces/${marketplace}/credentials`, {
      key: tenant.apiKey,
      body,
    });
  const del = (tenant: Tenant, marketplace = 'naver') =>
    api.call('DELETE', `/v1/marketplaces/${marketplace}/credentials`, { key: tenant.apiKey });
  /** What the crawler tells over NATS (`crawler.credentials.get`, what `GET /v1/marketplaces` shows). */
  const summaryOf = (tenant: Tenant) =>
    api.sut.app.get(Downstream).call(CRAWLER_RPC.credentialsGet, { tenantId: tenant.id, marketplace: 'naver' });

  async function storedRows(): Promise<string[]> {
    const sql = new Client({ connectionString: platform.environment.db.adminUrl });
    await sql.connect();
    try {
      // Every column as text (bytea as hex), and the sealed bytes as they are: the credentials must be in neither.
      const result = await sql.query<{ row: string; ciphertext: Buffer; iv: Buffer; auth_tag: Buffer }>(
        'select t::text as row, ciphertext, iv, auth_tag from crawler.tenant_credentials t',
      );
      return result.rows.flatMap((row) => [
        row.row,
        Buffer.concat([row.ciphertext, row.iv, row.auth_tag]).toString('latin1'),
      ]);
    } finally {
      await sql.end();
    }
  }

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    a = await api.tenant('byo-a');
    b = await api.tenant('byo-b');
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  beforeEach(() => {
    platform.sim.control.setFaults({ outage: false, rejectedClientIds: [] });
  });

  it('checks them with one live search, stores them sealed and answers without them', async () => {
    const before = requestsOf(A_ID);

    const stored = await put(a, { clientId: A_ID, clientSecret: A_SECRET });

    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({
      marketplace: 'naver',
      source: 'tenant',
      last4: '7Q2x',
      updatedAt: expect.any(String) as string,
      lastUsedAt: null,
    });
    expect(stored.text).not.toContain(A_SECRET);
    expect(stored.text).not.toContain(A_ID);
    expect(requestsOf(A_ID)).toBe(before + 1);

    const rows = await storedRows();
    expect(rows.length).toBeGreaterThan(0);
    for (const text of rows) {
      for (const secret of [A_SECRET, A_ID]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(Buffer.from(secret).toString('hex'));
      }
    }
    const seen = JSON.stringify(await summaryOf(a));
    expect(seen).toContain('"source":"tenant"');
    expect(seen).not.toContain(A_SECRET);
    expect(seen).not.toContain(A_ID);
  });

  it("crawls that tenant's keywords with its own client id, and another tenant's with the platform's", async () => {
    await put(a, { clientId: A_ID, clientSecret: A_SECRET });
    const tracked = { a: await trackProductAt(api, a.apiKey, 'usb charger', 3) };
    const byA = { own: requestsOf(A_ID), platform: requestsOf(PLATFORM_ID) };

    await crawlAndWait(api, a.apiKey, tracked.a.keywordId);

    expect(requestsOf(A_ID)).toBeGreaterThan(byA.own);
    expect(requestsOf(PLATFORM_ID)).toBe(byA.platform);
    expect((await summaryOf(a)).lastUsedAt).toEqual(expect.any(String));

    const keywordB = (await trackProductAt(api, b.apiKey, 'usb charger', 3)).keywordId;
    const byB = { own: requestsOf(A_ID), platform: requestsOf(PLATFORM_ID) };
    await crawlAndWait(api, b.apiKey, keywordB);

    expect(requestsOf(PLATFORM_ID)).toBeGreaterThan(byB.platform);
    expect(requestsOf(A_ID)).toBe(byB.own);
    expect(await summaryOf(b)).toEqual({
      marketplace: 'naver',
      source: 'platform',
      last4: null,
      lastUsedAt: null,
      updatedAt: null,
    });
  });

  it('refuses credentials the marketplace rejects with 422 and stores nothing', async () => {
    platform.sim.control.setFaults({ rejectedClientIds: ['rejected-client-0001'] });

    const refused = await put(b, { clientId: 'rejected-client-0001', clientSecret: 'whatever-secret' });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: `${PROBLEM}credentials-rejected`, status: 422 });
    expect(refused.text).not.toContain('whatever-secret');
    expect((await summaryOf(b)).source).toBe('platform');
  });

  it('answers 503 and stores nothing when the check cannot be made', async () => {
    platform.sim.control.setFaults({ outage: 'unavailable' });

    const unverified = await put(b, { clientId: 'b-client-when-down', clientSecret: 'b-secret-when-down' });

    expect(unverified.status).toBe(503);
    expect(unverified.body).toMatchObject({ type: `${PROBLEM}credentials-unverified` });
    expect((await summaryOf(b)).source).toBe('platform');
  });

  it("keeps them from other tenants: B cannot delete A's, and A's delete brings the platform's back", async () => {
    await put(a, { clientId: A_ID, clientSecret: A_SECRET });

    expect((await del(b)).status).toBe(404);
    expect((await summaryOf(a)).source).toBe('tenant');

    expect((await del(a)).status).toBe(204);
    expect(await summaryOf(a)).toMatchObject({ source: 'platform', last4: null });
    expect((await del(a)).status).toBe(404);
    expect(await storedRows()).toEqual([]);
  });

  it('names the known marketplaces when one is unknown, here and when creating a product', async () => {
    const credentials = await put(a, { clientId: A_ID, clientSecret: A_SECRET }, 'coupang');
    const deleted = await del(a, 'coupang');
    const product = await api.call('POST', '/v1/products', {
      key: a.apiKey,
      body: { marketplace: 'coupang', externalId: 'x1', name: 'x', price: 1 },
    });

    for (const answer of [credentials, deleted, product]) {
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('must be one of the known marketplaces: naver');
    }
  });

  it.each([
    ['a control character', { clientId: 'abc\u0000defgh', clientSecret: A_SECRET }],
    ['a short secret', { clientId: A_ID, clientSecret: 'short' }],
    ['a non-ASCII id (it could never be sent in a header)', { clientId: 'client-아이디-0001', clientSecret: A_SECRET }],
    ['a space in the secret', { clientId: A_ID, clientSecret: 'secret with spaces' }],
    ['a huge id', { clientId: 'x'.repeat(5_000), clientSecret: A_SECRET }],
    ['another field', { clientId: A_ID, clientSecret: A_SECRET, tenantId: '00000000-0000-0000-0000-000000000000' }],
    ['no secret', { clientId: A_ID }],
  ])('refuses a body with %s (400), without a live call', async (_what, body) => {
    const before = platform.sim.control.stats().total;

    const refused = await put(b, body);

    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(A_SECRET);
    expect(platform.sim.control.stats().total).toBe(before);
  });
});
