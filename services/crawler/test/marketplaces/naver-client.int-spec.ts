import { eventually } from '@shelfwatch/testing';
import { crawlKeyword } from '../../src/marketplaces/crawl-pages';
import { MarketplaceClient, type MarketplaceClientOptions } from '../../src/marketplaces/marketplace-client';
import { MarketplaceError } from '../../src/marketplaces/marketplace-error';
import { NaverShoppingAdapter } from '../../src/marketplaces/naver/naver.adapter';
import { PauseOnlyBudget } from './memory-budget';
import { naverPage, NaverStub } from './naver-stub';
import { TEST_CRAWL } from './test-credential';

// 2026-11-22T15:30:00Z is 00:30 on 23 Nov in Seoul; the quota resets at 15:00Z on 23 Nov.
const NOW = Date.parse('2026-11-22T15:30:00Z');
const NEXT_RESET = '2026-11-23T15:00:00.000Z';

let stub: NaverStub;
const clients: MarketplaceClient[] = [];
let seq = 0;

beforeEach(async () => {
  stub = await NaverStub.start();
});

afterEach(async () => {
  clients.splice(0).forEach((client) => client.close());
  await stub.close();
});

/** A client against the stub on a settable clock; back-off sleeps are recorded and real but short. */
function clientFor(options: MarketplaceClientOptions = {}): {
  client: MarketplaceClient;
  clock: { now: number };
  budget: PauseOnlyBudget;
} {
  const clock = { now: NOW };
  const budget = new PauseOnlyBudget(() => clock.now);
  seq += 1;
  const adapter = new NaverShoppingAdapter({
    baseUrl: stub.url,
    clock: () => clock.now,
  });
  const client = new MarketplaceClient(adapter, budget, {
    name: `naver-int-${seq}`,
    retry: { baseMs: 1, maxMs: 5 },
    ...options,
  });
  clients.push(client);
  return { client, clock, budget };
}

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

const page1 = { keyword: '무선 이어폰', start: 1, display: 20, ...TEST_CRAWL };

describe('MarketplaceClient + NaverShoppingAdapter over HTTP', () => {
  it('sends the documented request with credentials and parses the answer', async () => {
    const { client } = clientFor();

    const result = await client.search(page1);

    expect(stub.seen).toEqual([
      {
        query: { query: '무선 이어폰', display: '20', start: '1', sort: 'sim' },
        clientId: 'stub-id',
        clientSecret: 'stub-secret',
      },
    ]);
    expect(result.items).toHaveLength(20);
    expect(result.items[0]).toMatchObject({ rank: 1, externalId: 'p1', title: 'earbuds model 1', price: 10_001 });
  });

  it('opens the breaker after repeated 500s, then fails fast with breaker_open and sends nothing', async () => {
    stub.respond = () => ({ status: 500, body: { errorMessage: 'System Error', errorCode: 'SE99' } });
    const { client } = clientFor({ breaker: { volumeThreshold: 4, resetTimeout: 60_000 } });

    expect((await rejectionOf(client.search(page1))).code).toBe('upstream_error');
    expect(stub.seen).toHaveLength(3);
    expect((await rejectionOf(client.search(page1))).code).toBe('breaker_open');
    expect(stub.seen).toHaveLength(4);

    const fastFails = await Promise.all([1, 2, 3].map(() => rejectionOf(client.search(page1))));

    expect(fastFails.map((err) => err.code)).toEqual(['breaker_open', 'breaker_open', 'breaker_open']);
    expect(stub.seen).toHaveLength(4);
    expect(client.status().breaker).toBe('open');
  });

  it('does not count 400 SE02 against the breaker and never retries it', async () => {
    stub.respond = () => ({ status: 400, body: { errorMessage: 'Invalid display value', errorCode: 'SE02' } });
    const { client } = clientFor({ breaker: { volumeThreshold: 2 } });

    const failures = await Promise.all([1, 2, 3, 4].map(() => rejectionOf(client.search(page1))));

    expect(failures.map((err) => err.code)).toEqual(['bad_request', 'bad_request', 'bad_request', 'bad_request']);
    expect(stub.seen).toHaveLength(4);
    expect(client.status().breaker).toBe('closed');
  });

  it('on 012 backs off for Retry-After and then succeeds (also when the error comes with HTTP 200)', async () => {
    const throttles = [
      {
        status: 429,
        body: { errorMessage: 'Rate limit exceeded.', errorCode: '012' },
        headers: { 'retry-after': '2' },
      },
      { status: 200, body: { errorMessage: 'Rate limit exceeded.', errorCode: '012' } },
    ];
    stub.respond = (query) => throttles.shift() ?? { status: 200, body: naverPage(Number(query.start), 20) };
    const sleeps: number[] = [];
    const { client } = clientFor({ sleep: async (ms) => void sleeps.push(ms) });

    const result = await client.search(page1);

    expect(result.items).toHaveLength(20);
    expect(stub.seen).toHaveLength(3);
    expect(sleeps).toEqual([2_000, 1_000]);
  });

  it('on 010 pauses the marketplace with quota_exhausted until the Seoul midnight, sending nothing', async () => {
    stub.respond = () => ({ status: 429, body: { errorMessage: 'Query limit exceeded.', errorCode: '010' } });
    const { client, clock, budget } = clientFor();

    const first = await rejectionOf(client.search(page1));
    const later = await Promise.all([1, 2, 3].map(() => rejectionOf(client.search(page1))));

    expect([first.code, first.resumeAt?.toISOString()]).toEqual(['quota_exhausted', NEXT_RESET]);
    expect(later.map((err) => [err.code, err.resumeAt?.toISOString()])).toEqual(
      Array.from({ length: 3 }, () => ['quota_exhausted', NEXT_RESET]),
    );
    expect(stub.seen).toHaveLength(1);
    expect(budget.pauses.get(TEST_CRAWL.credential.budgetKey)?.toISOString()).toBe(NEXT_RESET);

    stub.respond = (query) => ({ status: 200, body: naverPage(Number(query.start), 20) });
    clock.now = Date.parse(NEXT_RESET);
    await expect(client.search(page1)).resolves.toMatchObject({ total: 5_000 });
    expect(stub.seen).toHaveLength(2);
  });

  it('aborts a request that exceeds its timeout: the stub sees the socket close', async () => {
    stub.respond = () => 'hang';
    const { client } = clientFor({ requestTimeoutMs: 150, retry: { attempts: 1 } });

    const failure = await rejectionOf(client.search(page1));

    expect(failure.code).toBe('timeout');
    await eventually(() => expect(stub.closedWhileHanging).toBe(1), 2_000);
  });

  it('fails a whole crawl with timeout at its deadline, closing the in-flight request', async () => {
    stub.respond = (query) => (query.start === '1' ? { status: 200, body: naverPage(1, 100) } : 'hang');
    const { client } = clientFor({ requestTimeoutMs: 10_000 });

    const failure = await rejectionOf(
      crawlKeyword(client, {
        keyword: 'earbuds',
        ...TEST_CRAWL,
        maxPages: 5,
        pageSize: 100,
        trackedExternalIds: ['p4000'],
        stopWhenAllFound: true,
        timeoutMs: 300,
      }),
    );

    expect(failure.code).toBe('timeout');
    expect(stub.seen.map((seen) => seen.query.start)).toEqual(['1', '101']);
    await eventually(() => expect(stub.closedWhileHanging).toBe(1), 2_000);
    expect(client.status().breaker).toBe('closed');
  });
});
