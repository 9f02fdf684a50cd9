import { eventually } from '@shelfwatch/testing';
import { ebayGroundTruth, groundTruth, rakutenGroundTruth } from '../../../tools/marketplace-sim/src';
import { EXTRA_SERVICES } from './extra-services';
import {
  ANY_UNDERCUT_RULES,
  Api,
  Platform,
  SIM_SEED,
  SIM_T0,
  crawlAndWait,
  startPlatform,
} from './gateway.e2e-harness';

const KEYWORD = 'wireless earbuds';
const RANK = 3;

interface Shelf {
  marketplace: string;
  site?: string;
  externalId: string;
  /** Above every competitor on the shelf, in the marketplace's currency: the crawl raises a price undercut. */
  price: number;
  currency: string;
  orderFidelity: 'exact' | 'approximate';
  /** How the currency shows in an alert's message. */
  symbol: string;
}

interface Created {
  id: string;
  currency: string;
  site: string | null;
  keywords: { keywordId: string }[];
}

interface Latest {
  crawl: { crawlId: string; orderFidelity: string } | null;
  standings: { productId: string; rank: number | null; currency: string; lowestCompetitorPrice: number | null }[];
  entries: { rank: number; externalId: string; currency: string }[];
}

interface Alert {
  productId: string;
  type: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Issue 16's promise to a multi-marketplace seller: the same product on Naver, eBay (UK) and Rakuten, each crawled
 * on the simulator through its own API contract; rankings, standings and undercut alerts come back for all three,
 * each in its own currency and with its order fidelity.
 */
describe('one tenant, the same product on Naver, eBay and Rakuten', () => {
  let platform: Platform;
  let api: Api;
  let key: string;
  const products = new Map<string, { shelf: Shelf; productId: string; keywordId: string; crawlId: string }>();

  beforeAll(async () => {
    platform = await startPlatform(EXTRA_SERVICES);
    api = platform.api;
    key = (await api.tenant('three-shelves')).apiKey;
    expect(
      (await api.call('PUT', '/v1/alert-rules', { key, body: { defaults: ANY_UNDERCUT_RULES, overrides: [] } })).status,
    ).toBe(200);
    // The harness gives eBay no platform keyset: this seller brings its own (Naver's and Rakuten's are the platform's).
    const keyset = await api.call('PUT', '/v1/marketplaces/ebay/credentials', {
      key,
      body: { clientId: 'three-shelves-ebay-app', clientSecret: 'three-shelves-ebay-cert' },
    });
    expect(keyset.status).toBe(200);

    const naver = groundTruth(SIM_SEED, KEYWORD, SIM_T0)[RANK - 1];
    const ebay = ebayGroundTruth(platform.sim.control, KEYWORD, 'EBAY_GB', SIM_T0)[RANK - 1];
    const rakuten = rakutenGroundTruth(platform.sim.control, KEYWORD, SIM_T0)[RANK - 1];
    if (!naver || !ebay || !rakuten) {
      throw new Error(`a simulated shelf of "${KEYWORD}" has no listing at rank ${RANK}`);
    }
    const shelves: Shelf[] = [
      {
        marketplace: 'naver',
        externalId: naver.productId,
        price: 9_999_999,
        currency: 'KRW',
        orderFidelity: 'exact',
        symbol: '₩',
      },
      {
        marketplace: 'ebay',
        site: 'EBAY_GB',
        externalId: ebay.itemId,
        price: 99_999.99,
        currency: 'GBP',
        orderFidelity: 'approximate',
        symbol: '£',
      },
      {
        marketplace: 'rakuten',
        externalId: rakuten.itemCode,
        price: 9_999_999,
        currency: 'JPY',
        orderFidelity: 'exact',
        symbol: '¥',
      },
    ];
    for (const shelf of shelves) {
      const created = await api.call<Created>('POST', '/v1/products', {
        key,
        body: {
          marketplace: shelf.marketplace,
          ...(shelf.site ? { site: shelf.site } : {}),
          externalId: shelf.externalId,
          name: `Acme earbuds on ${shelf.marketplace}`,
          price: shelf.price,
          keywords: [KEYWORD],
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ currency: shelf.currency, site: shelf.site ?? null });
      const keywordId = created.body.keywords[0]?.keywordId ?? '';
      products.set(shelf.marketplace, { shelf, productId: created.body.id, keywordId, crawlId: '' });
    }
    // One keyword text, three shelves: each marketplace's keyword is its own.
    expect(new Set([...products.values()].map((product) => product.keywordId)).size).toBe(3);
    for (const product of products.values()) {
      product.crawlId = await crawlAndWait(api, key, product.keywordId);
    }
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(['naver', 'ebay', 'rakuten'])(
    'ranks the product on %s where the shelf has it, in its currency and fidelity',
    async (id) => {
      const { shelf, productId, keywordId, crawlId } = products.get(id) ?? fail(id);
      const latest = await eventually(async () => {
        const got = await api.call<Latest>('GET', `/v1/keywords/${keywordId}/rankings/latest`, { key });
        expect(got.body.crawl?.crawlId).toBe(crawlId);
        return got.body;
      }, 15_000);
      expect(latest.crawl?.orderFidelity).toBe(shelf.orderFidelity);
      expect(latest.standings).toEqual([
        expect.objectContaining({
          productId,
          rank: RANK,
          currency: shelf.currency,
          lowestCompetitorPrice: expect.any(Number) as unknown,
        }),
      ]);
      expect(latest.entries.find((entry) => entry.rank === RANK)).toMatchObject({
        externalId: shelf.externalId,
        currency: shelf.currency,
      });
    },
  );

  it('lists all three products with their currencies, ranks and fidelities', async () => {
    const listed = await eventually(async () => {
      const got = await api.call<{
        items: (Created & {
          marketplace: string;
          keywords: { rank: number | null; currency: string; orderFidelity: string }[];
        })[];
      }>('GET', '/v1/products', { key });
      expect(got.body.items.every((item) => item.keywords[0]?.rank === RANK)).toBe(true);
      return got.body.items;
    }, 15_000);
    expect(
      listed
        .map((item) => [item.marketplace, item.currency, item.keywords[0]?.currency, item.keywords[0]?.orderFidelity])
        .sort(),
    ).toEqual([
      ['ebay', 'GBP', 'GBP', 'approximate'],
      ['naver', 'KRW', 'KRW', 'exact'],
      ['rakuten', 'JPY', 'JPY', 'exact'],
    ]);
  });

  it('raises one undercut alert per marketplace, each judged and worded in its own currency', async () => {
    const alerts = await eventually(async () => {
      const got = await api.call<{ items: Alert[] }>('GET', '/v1/alerts?type=price_undercut', { key });
      expect(got.body.items).toHaveLength(3);
      return got.body.items;
    }, 30_000);
    for (const { shelf, productId } of products.values()) {
      const alert = alerts.find((candidate) => candidate.productId === productId);
      expect(alert?.details).toMatchObject({ currency: shelf.currency });
      expect(alert?.message).toContain(shelf.symbol);
    }
  });
});

function fail(id: string): never {
  throw new Error(`no product on ${id}`);
}
