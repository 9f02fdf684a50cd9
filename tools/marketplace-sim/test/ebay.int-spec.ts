import { groundTruth } from '../src/ground-truth';
import { EbayErrorBody, EbaySearchResponse } from '../src/ebay-format';
import { RunningSimulator, startSimulator } from '../src/simulator';
import { control } from './http';

const PINNED = '2026-03-02T01:07:00.000Z';
const SEARCH = '/buy/browse/v1/item_summary/search';

describe('marketplace simulator: eBay Browse contract over HTTP', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 42 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await control(sim, 'reset', {});
    await control(sim, 'clock', { now: PINNED });
  });

  async function grant(
    id: string,
    secret: string,
    form = 'grant_type=client_credentials&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope',
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${sim.url}/identity/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function token(id = 'sim-app'): Promise<string> {
    const granted = await grant(id, 'sim-cert');
    expect(granted.status).toBe(200);
    return String(granted.body.access_token);
  }

  async function search(
    bearer: string,
    params: Record<string, string>,
    site?: string,
  ): Promise<{ status: number; retryAfter: string | null; body: EbaySearchResponse & Partial<EbayErrorBody> }> {
    const response = await fetch(`${sim.url}${SEARCH}?${new URLSearchParams(params).toString()}`, {
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(site === undefined ? {} : { 'X-EBAY-C-MARKETPLACE-ID': site }),
      },
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as EbaySearchResponse & Partial<EbayErrorBody>,
    };
  }

  it('grants an application token to any non-empty keyset no fault rejects, and refuses the others', async () => {
    const granted = await grant('sim-app', 'sim-cert');
    expect(granted).toMatchObject({
      status: 200,
      body: { expires_in: 300, token_type: 'Application Access Token', access_token: expect.any(String) as string },
    });

    await control(sim, 'faults', { rejectedClientIds: ['revoked-app'] });
    expect(await grant('revoked-app', 'sim-cert')).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await grant('sim-app', '')).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await grant('sim-app', 'sim-cert', 'grant_type=password')).body.error).toBe('unsupported_grant_type');
    expect((await grant('sim-app', 'sim-cert', 'grant_type=client_credentials')).body.error).toBe('invalid_scope');
  });

  it('serves the shelf with prices as two-decimal strings in the site currency, converted from KRW', async () => {
    const truth = groundTruth(42, 'camping chair', new Date(PINNED));
    const bearer = await token();

    const us = await search(bearer, { q: 'camping chair', limit: '3', offset: '2' });
    const de = await search(bearer, { q: 'camping chair', limit: '3', offset: '2' }, 'EBAY_DE');

    expect(us.status).toBe(200);
    expect(us.body).toMatchObject({ total: truth.length, limit: 3, offset: 2 });
    expect(us.body.next).toContain('offset=5');
    expect(us.body.prev).toContain('offset=0');
    const expected = truth.slice(2, 5);
    expect(us.body.itemSummaries?.map((item) => item.itemId)).toEqual(expected.map((item) => `v1|${item.productId}|0`));
    expect(us.body.itemSummaries?.map((item) => item.price)).toEqual(
      expected.map((item) =>
        item.lprice === 0 ? undefined : { value: (item.lprice / 1_400).toFixed(2), currency: 'USD' },
      ),
    );
    expect(de.body.itemSummaries?.map((item) => item.price?.currency)).toEqual(
      expected.map((item) => (item.lprice === 0 ? undefined : 'EUR')),
    );
    expect(de.body.itemSummaries?.[0]?.itemWebUrl).toMatch(/^https:\/\/www\.ebay\.de\/itm\//);
  });

  it('answers 401 errorId 1001 to an unknown or expired token', async () => {
    const bearer = await token();
    expect((await search('not-a-token', { q: 'camping chair' })).body.errors?.[0]?.errorId).toBe(1001);

    await control(sim, 'ebay/tokens', { expire: true });

    const expired = await search(bearer, { q: 'camping chair' });
    expect(expired.status).toBe(401);
    expect(expired.body.errors?.[0]).toMatchObject({ errorId: 1001, domain: 'OAuth', category: 'REQUEST' });
  });

  it('renders the throttle and the daily quota as 429 errorId 2001, only the throttle with Retry-After', async () => {
    const bearer = await token();
    await control(sim, 'faults', { throttlePerSecond: 1 });
    await search(bearer, { q: 'camping chair' });
    const throttled = await search(bearer, { q: 'camping chair' });
    expect(throttled).toMatchObject({ status: 429, retryAfter: '1' });
    expect(throttled.body.errors?.[0]?.errorId).toBe(2001);

    await control(sim, 'reset', {});
    const fresh = await token('quota-app');
    await control(sim, 'faults', { dailyQuota: 1 });
    await search(fresh, { q: 'camping chair' });
    const spent = await search(fresh, { q: 'camping chair' });
    expect(spent).toMatchObject({ status: 429, retryAfter: null });
    expect(spent.body.errors?.[0]?.errorId).toBe(2001);
  });

  it('refuses bad parameters with 400 and logs every search under the client id of its token', async () => {
    const bearer = await token('logged-app');
    expect((await search(bearer, { q: 'camping chair', limit: '201' })).status).toBe(400);
    expect((await search(bearer, { q: 'camping chair', offset: '9990', limit: '50' })).status).toBe(400);
    expect((await search(bearer, { q: 'camping chair' }, 'EBAY_XX')).status).toBe(400);
    expect((await search(bearer, { q: 'camping chair' })).status).toBe(200);

    const log = await control<{ requests: { clientId: string; status: number; errorCode: string | null }[] }>(
      sim,
      'requests',
    );
    expect(log.body.requests.map(({ clientId, status, errorCode }) => [clientId, status, errorCode])).toEqual([
      ['logged-app', 400, '12001'],
      ['logged-app', 400, '12002'],
      ['logged-app', 400, '12003'],
      ['logged-app', 200, null],
    ]);
  });

  it('serves its ground truth for a keyword, site and moment', async () => {
    const truth = await control<{ total: number; items: { rank: number; price?: { currency: string } }[] }>(
      sim,
      `ebay/truth?q=${encodeURIComponent('camping chair')}&site=EBAY_AU&at=${PINNED}`,
    );
    expect(truth.body.total).toBe(groundTruth(42, 'camping chair', new Date(PINNED)).length);
    expect(truth.body.items[0]?.rank).toBe(1);
    expect((await control(sim, 'ebay/truth?q=x&site=EBAY_XX')).status).toBe(400);
  });
});
