import { MarketplaceClient } from '../../src/marketplaces/marketplace-client';
import { MarketplaceError } from '../../src/marketplaces/marketplace-error';
import { EbayBrowseAdapter } from '../../src/marketplaces/ebay/ebay.adapter';
import { EbayStub, recorded } from './ebay-stub';
import { PauseOnlyBudget } from './memory-budget';
import { TEST_CRAWL, ebayCredential } from './test-credential';

// 2026-11-22T15:30:00Z is 07:30 on 22 Nov in California (PST, UTC-8): the call limit resets at 08:00Z on 23 Nov.
const NOW = Date.parse('2026-11-22T15:30:00Z');
const NEXT_RESET = '2026-11-23T08:00:00.000Z';

let stub: EbayStub;
const clients: MarketplaceClient[] = [];
let seq = 0;

beforeEach(async () => {
  stub = await EbayStub.start();
});

afterEach(async () => {
  clients.splice(0).forEach((client) => client.close());
  await stub.close();
});

function adapterFor(clock = { now: NOW }): EbayBrowseAdapter {
  return new EbayBrowseAdapter({ baseUrl: stub.url, clock: () => clock.now });
}

function clientFor(
  adapter = adapterFor(),
  sleep?: (ms: number) => Promise<void>,
): { client: MarketplaceClient; budget: PauseOnlyBudget } {
  const budget = new PauseOnlyBudget(() => NOW);
  seq += 1;
  const client = new MarketplaceClient(adapter, budget, {
    name: `ebay-int-${seq}`,
    retry: { baseMs: 1, maxMs: 5 },
    sleep,
  });
  clients.push(client);
  return { client, budget };
}

const credential = ebayCredential('ebay-app-id', 'ebay-cert-id');
const page = (start = 1, display = 3, site: string | null = null) => ({
  keyword: 'drone',
  start,
  display,
  ...TEST_CRAWL,
  site,
  credential,
});
const request = (start = 1, display = 3, site: string | null = null) => ({
  keyword: 'drone',
  site,
  start,
  display,
  credentials: credential.credentials,
  signal: AbortSignal.timeout(10_000),
});

const rejectionOf = (promise: Promise<unknown>): Promise<MarketplaceError> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => {
      if (err instanceof MarketplaceError) {
        return err;
      }
      throw err;
    },
  );

describe('EbayBrowseAdapter over HTTP against recorded eBay answers', () => {
  it('gets an application token by the client-credentials grant, then searches with it on the default site', async () => {
    const result = await adapterFor().search(request(1, 3));

    expect(stub.tokenRequests).toEqual([
      {
        authorization: `Basic ${Buffer.from('ebay-app-id:ebay-cert-id').toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        body: 'grant_type=client_credentials&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope',
      },
    ]);
    const token = (recorded('token').body as { access_token: string }).access_token;
    expect(stub.searches).toEqual([
      { query: { q: 'drone', limit: '3', offset: '0' }, authorization: `Bearer ${token}`, marketplaceId: 'EBAY_US' },
    ]);
    expect(result.total).toBe(1357);
    expect(result.items[0]).toEqual({
      rank: 1,
      externalId: 'v1|110551100598|0',
      title: 'Mini Drone with HD Camera, Foldable RC Quadcopter',
      mall: 'sky_toys_outlet',
      sellerId: 'sky_toys_outlet',
      price: 184.99,
      currency: 'USD',
      brand: '',
      maker: '',
      category: 'Camera Drones',
      link: 'https://www.ebay.com/itm/110551100598',
      image: 'https://i.ebayimg.com/thumbs/images/g/JKUAAOSwCZ1cExSx/s-l225.jpg',
      productType: 'FIXED_PRICE,BEST_OFFER',
      condition: 'New',
      placement: 'organic',
    });
    expect(result.items.map(({ rank, price, condition }) => [rank, price, condition])).toEqual([
      [1, 184.99, 'New'],
      [2, 9, 'Used'],
      [3, 12.5, 'New'],
    ]);
  });

  it('sends the page as offset and limit, and the site as X-EBAY-C-MARKETPLACE-ID', async () => {
    stub.search = () => recorded('search-missing-fields');

    const result = await adapterFor().search(request(201, 3, 'EBAY_DE'));

    expect(stub.searches[0]).toMatchObject({
      query: { q: 'drone', limit: '3', offset: '200' },
      marketplaceId: 'EBAY_DE',
    });
    expect(result.items.map((item) => item.rank)).toEqual([201, 202, 203]);
  });

  it('keeps results without price, seller, image or category: price null, never 0, in the site currency', async () => {
    stub.search = () => recorded('search-missing-fields');

    const { items } = await adapterFor().search(request(201, 3, 'EBAY_GB'));

    expect(items).toEqual([
      expect.objectContaining({
        externalId: 'v1|110551100777|0',
        price: null,
        currency: 'GBP',
        mall: '',
        sellerId: null,
        image: '',
        category: '',
        condition: null,
        productType: 'AUCTION',
      }),
      expect.objectContaining({
        externalId: 'v1|110551100778|0',
        price: null,
        mall: '',
        sellerId: null,
        image: '',
        link: '',
      }),
      expect.objectContaining({
        externalId: 'v1|110551100779|0',
        title: '',
        price: 1299,
        currency: 'USD',
        mall: 'pro.drones',
        condition: 'Certified - Refurbished',
      }),
    ]);
  });

  it('reads a keyword without results as an empty page', async () => {
    stub.search = () => recorded('search-empty');

    expect(await adapterFor().search(request())).toEqual({ total: 0, items: [] });
  });

  it('caches the token across pages and shares one token request among concurrent searches', async () => {
    const adapter = adapterFor();

    await Promise.all([adapter.search(request(1)), adapter.search(request(4)), adapter.search(request(7))]);
    await adapter.search(request(10));

    expect(stub.searches).toHaveLength(4);
    expect(stub.tokenRequests).toHaveLength(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const clock = { now: NOW };
    const adapter = adapterFor(clock);
    await adapter.search(request());

    clock.now += 7_200_000 - 59_000;
    await adapter.search(request());

    expect(stub.tokenRequests).toHaveLength(2);
  });

  it('on an expired token (401, errorId 1001) fetches one new token and succeeds on the retry', async () => {
    const adapter = adapterFor();
    await adapter.search(request());
    stub.search = (n) => (n === 1 ? recorded('invalid-token') : recorded('search-page'));

    const result = await adapter.search(request());

    expect(result.items).toHaveLength(3);
    expect(stub.tokenRequests).toHaveLength(2);
    expect(stub.searches).toHaveLength(3);
  });

  it('is auth_failed when a fresh token is refused too: one refresh, never a loop', async () => {
    stub.search = () => recorded('invalid-token');

    const failure = await rejectionOf(adapterFor().search(request()));

    expect(failure).toMatchObject({ code: 'auth_failed', httpStatus: 401, upstreamCode: '1001' });
    expect(stub.tokenRequests).toHaveLength(2);
    expect(stub.searches).toHaveLength(2);
  });

  it('is auth_failed without any search when the token endpoint refuses the keyset (invalid_client)', async () => {
    stub.token = () => recorded('token-invalid-client');
    const { client } = clientFor();

    const failure = await rejectionOf(client.search(page()));

    expect(failure).toMatchObject({ code: 'auth_failed', httpStatus: 401, upstreamCode: 'invalid_client' });
    expect(failure.message).not.toContain('ebay-cert-id');
    expect(stub.tokenRequests).toHaveLength(1);
    expect(stub.searches).toHaveLength(0);
  });

  it('maps an error body: 400 bad_request, 500 upstream_error, a body that is not JSON invalid_response', async () => {
    const adapter = adapterFor();
    stub.search = () => recorded('bad-request');
    expect(await rejectionOf(adapter.search(request()))).toMatchObject({ code: 'bad_request', upstreamCode: '12001' });
    stub.search = () => recorded('internal-error');
    expect(await rejectionOf(adapter.search(request()))).toMatchObject({ code: 'upstream_error', httpStatus: 500 });
    stub.search = () => ({ status: 200, headers: {}, body: '<html>maintenance</html>' });
    expect((await rejectionOf(adapter.search(request()))).code).toBe('invalid_response');
  });

  it('reads a 429 with Retry-After as throttling, which the client waits out and retries', async () => {
    stub.search = () => recorded('throttled');
    expect(await rejectionOf(adapterFor().search(request()))).toMatchObject({
      code: 'throttled',
      retryAfterMs: 3_000,
      upstreamCode: '2001',
    });

    stub.search = (n) => (n === 1 ? recorded('throttled') : recorded('search-page'));
    const waits: number[] = [];
    const { client } = clientFor(adapterFor(), (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    const { items } = await client.search(page());

    expect(items).toHaveLength(3);
    expect(waits).toEqual([3_000]);
  });

  it('reads the spent daily call limit (429 errorId 2001) as quota_exhausted until midnight Pacific, pausing the budget', async () => {
    stub.search = () => recorded('call-limit');
    const { client, budget } = clientFor();

    const failure = await rejectionOf(client.search(page()));

    expect(failure.code).toBe('quota_exhausted');
    expect(failure.resumeAt?.toISOString()).toBe(NEXT_RESET);
    expect(budget.pauses.get(credential.budgetKey)?.toISOString()).toBe(NEXT_RESET);
    expect(stub.searches).toHaveLength(1);
  });

  it("aborts a slow token request with the page's timeout, and spends one budget grant for token and search", async () => {
    stub.tokenDelayMs = 2_000;
    const adapter = adapterFor();
    const budget = new PauseOnlyBudget(() => NOW);
    const client = new MarketplaceClient(adapter, budget, {
      name: `ebay-int-timeout-${seq}`,
      requestTimeoutMs: 200,
      retry: { attempts: 1 },
    });
    clients.push(client);

    const failure = await rejectionOf(client.search(page()));

    expect(failure.code).toBe('timeout');
    expect(stub.searches).toHaveLength(0);

    stub.tokenDelayMs = 0;
    await client.search(page());
    expect(budget.granted).toBe(2);
    expect(adapter.tokens.requestsSent).toBe(2);
  });

  it('refuses a site it does not know without sending anything', async () => {
    const failure = await rejectionOf(adapterFor().search(request(1, 3, 'EBAY_XX')));

    expect(failure.code).toBe('bad_request');
    expect(stub.tokenRequests).toHaveLength(0);
  });
});
