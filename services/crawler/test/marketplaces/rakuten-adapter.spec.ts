import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarketplaceCredentials } from '../../src/marketplaces/marketplace-adapter';
import { MarketplaceClient } from '../../src/marketplaces/marketplace-client';
import { MarketplaceError } from '../../src/marketplaces/marketplace-error';
import { RakutenItemSearchAdapter } from '../../src/marketplaces/rakuten/rakuten.adapter';
import { PauseOnlyBudget } from './memory-budget';
import { TEST_CRAWL, rakutenCredential } from './test-credential';

const BASE_URL = 'https://app.rakuten.co.jp/services/api/IchibaItem/Search/20220601';
const NOW = Date.parse('2026-11-22T15:30:00Z');

/** A recorded answer: a fixture file with the status it comes with. */
type Recorded = { status: number; fixture: string; headers?: Record<string, string> } | { status: number; raw: string };

function bodyOf(answer: Recorded): string {
  return 'raw' in answer ? answer.raw : readFileSync(join(__dirname, 'fixtures', 'rakuten', answer.fixture), 'utf8');
}

/** An adapter whose fetch answers the recorded answers in turn and keeps every URL and header it was sent. */
function adapterAnswering(answers: Recorded[], referer: string | null = null) {
  const sent: { url: URL; headers: Record<string, string> }[] = [];
  const adapter = new RakutenItemSearchAdapter({
    baseUrl: BASE_URL,
    referer,
    clock: () => NOW,
    fetch: (url, init) => {
      sent.push({ url: new URL(url), headers: init.headers as Record<string, string> });
      const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
      if (answer === undefined) {
        throw new Error('no recorded answer');
      }
      const headers = { 'content-type': 'application/json;charset=UTF-8', ...('headers' in answer && answer.headers) };
      return Promise.resolve(new Response(bodyOf(answer), { status: answer.status, headers }));
    },
  });
  return { adapter, sent };
}

const credentials: MarketplaceCredentials = rakutenCredential('1012345678901234567').credentials;
const search = (adapter: RakutenItemSearchAdapter, start = 1, display = 3, creds = credentials) =>
  adapter.search({
    keyword: 'ワイヤレスイヤホン',
    site: null,
    start,
    display,
    credentials: creds,
    signal: AbortSignal.timeout(5_000),
  });

async function failureOf(promise: Promise<unknown>): Promise<MarketplaceError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MarketplaceError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a MarketplaceError');
}

describe('Rakuten adapter on recorded answers', () => {
  it('maps a normal page: ranks, JPY prices, shop as mall and seller, stock, reviews, organic placement', async () => {
    const { adapter } = adapterAnswering([{ status: 200, fixture: 'search-page.json' }]);

    const page = await search(adapter);

    expect(page.total).toBe(1523);
    expect(page.items[0]).toEqual({
      rank: 1,
      externalId: 'audio-shop:10000123',
      title: '【送料無料】ワイヤレスイヤホン Bluetooth5.3 ノイズキャンセリング',
      mall: 'オーディオショップ楽天市場店',
      sellerId: 'audio-shop',
      price: 3980,
      currency: 'JPY',
      brand: '',
      maker: '',
      category: '',
      productType: '',
      link: 'https://item.rakuten.co.jp/audio-shop/10000123/',
      image: 'https://thumbnail.image.rakuten.co.jp/@0_mall/audio-shop/cabinet/1.jpg?_ex=128x128',
      availability: 'in_stock',
      reviewCount: 2841,
      reviewRating: 4.36,
      placement: 'organic',
    });
    expect(page.items.map(({ rank, availability, image }) => [rank, availability, image])).toEqual([
      [1, 'in_stock', expect.stringContaining('1.jpg')],
      [2, 'out_of_stock', ''],
      [3, 'in_stock', expect.stringContaining('ep77.jpg')],
    ]);
  });

  it('sends the documented query: applicationId, keyword, hits, page, sort=standard, format=json, no accessKey', async () => {
    const { adapter, sent } = adapterAnswering([{ status: 200, fixture: 'search-page.json' }]);

    await search(adapter, 61, 30);

    const url = sent[0]?.url;
    expect(`${url?.origin}${url?.pathname}`).toBe(BASE_URL);
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      applicationId: '1012345678901234567',
      keyword: 'ワイヤレスイヤホン',
      hits: '30',
      page: '3',
      sort: 'standard',
      format: 'json',
      formatVersion: '1',
    });
    expect(sent[0]?.headers).toEqual({ accept: 'application/json' });
  });

  it('sends the access key and the registered referer and origin for the new host', async () => {
    const { adapter, sent } = adapterAnswering(
      [{ status: 200, fixture: 'search-page.json' }],
      'https://shelf.example.com/app/',
    );

    await search(adapter, 1, 3, rakutenCredential('app-id-0001', 'pk_access_key_1').credentials);

    expect(sent[0]?.url.searchParams.get('accessKey')).toBe('pk_access_key_1');
    expect(sent[0]?.headers).toMatchObject({
      referer: 'https://shelf.example.com/app/',
      origin: 'https://shelf.example.com',
    });
  });

  it('serves an unaligned window from the one Rakuten page that holds it', async () => {
    const { adapter, sent } = adapterAnswering([{ status: 200, fixture: 'search-page.json' }]);

    // Ranks 2..3 with 2 results a page would straddle pages 1 and 2: page 1 of 3 holds them.
    const page = await search(adapter, 2, 2);

    expect(sent[0]?.url.searchParams.get('hits')).toBe('3');
    expect(sent[0]?.url.searchParams.get('page')).toBe('1');
    expect(page.items.map((item) => [item.rank, item.externalId])).toEqual([
      [2, 'gadget-store:4589'],
      [3, 'denki-ya:ep-77'],
    ]);
  });

  it('reads numbers sent as strings and the flat items of format version 2', async () => {
    const { adapter } = adapterAnswering([{ status: 200, fixture: 'search-numeric-strings.json' }]);

    const page = await search(adapter, 1, 30);

    expect(page.total).toBe(2);
    expect(
      page.items.map(({ externalId, price, reviewCount, reviewRating, availability, image }) => ({
        externalId,
        price,
        reviewCount,
        reviewRating,
        availability,
        image,
      })),
    ).toEqual([
      {
        externalId: 'string-shop:1',
        price: 4500,
        reviewCount: 31,
        reviewRating: 4.52,
        availability: 'in_stock',
        image: 'https://thumbnail.image.rakuten.co.jp/string-shop/1.jpg',
      },
      {
        externalId: 'flat-shop:2',
        price: 990,
        reviewCount: 5,
        reviewRating: 3,
        availability: 'out_of_stock',
        image: 'https://thumbnail.image.rakuten.co.jp/flat-shop/2.jpg',
      },
    ]);
  });

  it('keeps an item with only its code and name: absent price, seller, stock and reviews are null, never 0', async () => {
    const { adapter } = adapterAnswering([{ status: 200, fixture: 'search-missing-fields.json' }]);

    const page = await search(adapter, 1, 30);

    expect(page.items).toEqual([
      expect.objectContaining({
        rank: 1,
        externalId: 'bare-shop:9',
        title: '最低限の品目',
        mall: '',
        sellerId: null,
        price: null,
        link: '',
        image: '',
        availability: null,
        reviewCount: null,
        reviewRating: null,
        currency: 'JPY',
      }),
    ]);
  });

  it('answers not_found (nothing matched) with an empty page, not a failure', async () => {
    const { adapter } = adapterAnswering([{ status: 404, fixture: 'not-found.json' }]);

    await expect(search(adapter)).resolves.toEqual({ total: 0, items: [] });
  });

  it.each([
    ['wrong-parameter.json', 400, 'bad_request', 'wrong_parameter'],
    ['wrong-application-id.json', 400, 'auth_failed', 'wrong_parameter'],
    ['too-many-requests.json', 429, 'throttled', 'too_many_requests'],
    ['system-error.json', 500, 'upstream_error', 'system_error'],
    ['service-unavailable.json', 503, 'upstream_error', 'service_unavailable'],
  ])('maps %s (HTTP %i) to %s', async (fixture, status, code, upstreamCode) => {
    const { adapter } = adapterAnswering([{ status, fixture }]);

    expect(await failureOf(search(adapter))).toMatchObject({ code, upstreamCode, httpStatus: status });
  });

  it.each([
    [401, 'auth_failed'],
    [403, 'auth_failed'],
    [404, 'bad_request'],
    [502, 'upstream_error'],
  ])(
    'maps HTTP %i without a Rakuten error body to %s (a bare 404 is a wrong URL, not "nothing found")',
    async (status, code) => {
      const { adapter } = adapterAnswering([{ status, raw: '<html>nope</html>' }]);

      expect((await failureOf(search(adapter))).code).toBe(code);
    },
  );

  it('answers a body that is not JSON, or not the contract, as invalid_response', async () => {
    expect((await failureOf(search(adapterAnswering([{ status: 200, raw: '<html/>' }]).adapter))).code).toBe(
      'invalid_response',
    );
    const noCode = JSON.stringify({ count: 1, Items: [{ Item: { itemName: 'x' } }] });
    expect((await failureOf(search(adapterAnswering([{ status: 200, raw: noCode }]).adapter))).code).toBe(
      'invalid_response',
    );
  });

  it('throttled by too_many_requests, the client backs off and gets the page', async () => {
    const { adapter, sent } = adapterAnswering([
      { status: 429, fixture: 'too-many-requests.json', headers: { 'retry-after': '2' } },
      { status: 200, fixture: 'search-page.json' },
    ]);
    const waits: number[] = [];
    const client = new MarketplaceClient(adapter, new PauseOnlyBudget(), {
      name: 'rakuten-recorded',
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });

    const page = await client.search({
      keyword: 'ワイヤレスイヤホン',
      start: 1,
      display: 3,
      ...TEST_CRAWL,
      credential: rakutenCredential(),
    });
    client.close();

    expect(page.items).toHaveLength(3);
    expect(sent).toHaveLength(2);
    expect(waits).toEqual([2_000]);
  });

  it('refuses a window no Rakuten page holds, without sending anything', async () => {
    const { adapter, sent } = adapterAnswering([{ status: 200, fixture: 'search-page.json' }]);

    expect((await failureOf(search(adapter, 2_991, 20))).code).toBe('bad_request');
    expect(sent).toHaveLength(0);
  });

  it('never puts the credentials in an error message', async () => {
    const adapter = new RakutenItemSearchAdapter({
      baseUrl: BASE_URL,
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });

    const failure = await failureOf(
      search(adapter, 1, 3, rakutenCredential('app-id-secret-1', 'key-secret-2').credentials),
    );

    expect(failure.code).toBe('upstream_error');
    expect(failure.message).not.toMatch(/app-id-secret-1|key-secret-2/);
  });
});
