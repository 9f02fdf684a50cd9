import {
  AnyEvent,
  EBAY_SITE_IDS,
  Page,
  RANKING_RPC,
  RankingKeywordAttached,
  RankingKeywordView,
  RankingProductView,
  STREAMS,
  StreamDefinition,
  parseEvent,
} from '@shelfwatch/contracts';
import { rpcSubject } from '@shelfwatch/messaging';
import { eventually, readStream } from '@shelfwatch/testing';
import { CrawledShelf, KEYWORD_CRAWLER, KeywordCrawler } from '../../crawler/src/crawls/keyword-crawler.port';
import { Api, Platform, crawlAndWait, startPlatform } from './gateway.e2e-harness';

interface FieldProblem {
  status: number;
  errors?: { in: string; field: string; message: string }[];
}

const ebayItem = { marketplace: 'ebay', externalId: 'v1|110553|0', name: 'Kettle, 1.7 l', price: 64.99 };

/** A shelf of one eBay listing: what the eBay adapter would answer (it is not on this branch). */
const ebayShelf: CrawledShelf = {
  items: [
    {
      rank: 1,
      externalId: 'v1|110553|0',
      title: 'Kettle, 1.7 l',
      mall: 'kettle-shop',
      price: 59.5,
      currency: 'GBP',
      brand: '',
      maker: '',
      category: '',
      link: 'https://www.ebay.co.uk/itm/110553',
      image: '',
      productType: '',
    },
  ],
  pagesFetched: 1,
  orderFidelity: 'approximate',
};

/** Products on a marketplace's site, priced in its currency, through the gateway to the ranking and the crawler. */
describe('gateway → products and keywords on marketplace sites', () => {
  let platform: Platform;
  let api: Api;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform();
    api = platform.api;
    key = (await api.tenant('sites')).apiKey;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const create = (body: object) => api.call<RankingProductView>('POST', '/v1/products', { key, body });
  const refused = (body: object) => api.call<FieldProblem>('POST', '/v1/products', { key, body });
  async function eventsOf(stream: StreamDefinition): Promise<AnyEvent[]> {
    const { nats } = platform.environment;
    return (await readStream(nats, nats.topology.streamName(stream))).map((msg) => parseEvent(msg.json()));
  }
  const stored = async () => (await api.call<Page<RankingProductView>>('GET', '/v1/products', { key })).body.items;

  it('puts an eBay product on the site it names, in any case, priced in cents in that site’s currency', async () => {
    const created = await create({ ...ebayItem, site: ' ebay_gb ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ marketplace: 'ebay', site: 'EBAY_GB', currency: 'GBP', price: 64.99 });
    const read = await api.call<RankingProductView>('GET', `/v1/products/${created.body.id}`, { key });
    expect(read.body).toMatchObject({ site: 'EBAY_GB', currency: 'GBP', price: 64.99 });
  });

  it('puts an eBay product without a site on EBAY_US, in USD, and the same item on two sites is two products', async () => {
    const created = await create({ ...ebayItem, name: 'Kettle (US)' });
    expect(created.body).toMatchObject({ site: 'EBAY_US', currency: 'USD' });
    const again = await create({ ...ebayItem, site: 'EBAY_GB' });
    expect(again.status).toBe(409);
    const listed = (await stored()).filter((product) => product.externalId === ebayItem.externalId);
    expect(listed.map((product) => [product.site, product.currency]).sort()).toEqual([
      ['EBAY_GB', 'GBP'],
      ['EBAY_US', 'USD'],
    ]);
  });

  it('answers 400 listing the eBay sites to an unknown one, storing nothing', async () => {
    const before = (await stored()).length;
    const answer = await refused({ ...ebayItem, externalId: 'v1|9|0', site: 'EBAY_XX' });
    expect(answer.status).toBe(400);
    const error = answer.body.errors?.find((candidate) => candidate.field === 'site');
    for (const site of EBAY_SITE_IDS) {
      expect(error?.message).toContain(site);
    }
    expect((await stored()).length).toBe(before);
  });

  it('accepts a currency equal to the site’s, and answers 400 naming the site’s currency to another', async () => {
    const same = await create({ ...ebayItem, externalId: 'v1|7|0', site: 'EBAY_DE', currency: 'eur' });
    expect(same).toMatchObject({ status: 201, body: { site: 'EBAY_DE', currency: 'EUR' } });
    const other = await refused({ ...ebayItem, externalId: 'v1|8|0', site: 'EBAY_GB', currency: 'USD' });
    expect(other.status).toBe(400);
    expect(other.body.errors).toContainEqual(
      expect.objectContaining({ field: 'currency', message: expect.stringContaining('EBAY_GB are in GBP') }),
    );
    const naver = await refused({
      marketplace: 'naver',
      externalId: 'n-9',
      name: 'Kettle',
      price: 25_000,
      currency: 'USD',
    });
    expect(naver.body.errors).toContainEqual(
      expect.objectContaining({ field: 'currency', message: expect.stringContaining('in KRW') }),
    );
  });

  it.each(['naver', 'rakuten'])(
    'answers 400 to a site for %s, which has none; null is no site',
    async (marketplace) => {
      const product = { marketplace, externalId: `${marketplace}-1`, name: 'Kettle', price: 2_500 };
      const answer = await refused({ ...product, site: 'EBAY_US' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toContainEqual(
        expect.objectContaining({ field: 'site', message: `${marketplace} has no sites: leave site out` }),
      );
      const created = await create({ ...product, site: null });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ site: null, currency: marketplace === 'naver' ? 'KRW' : 'JPY' });
    },
  );

  it('refuses a site for Naver sent straight to the ranking over NATS, not only at the edge', async () => {
    const { nc, topology } = platform.environment.nats;
    const tenantId = (await api.call<{ id: string }>('GET', '/v1/tenant', { key })).body.id;
    const body = { marketplace: 'naver', externalId: 'n-2', name: 'Kettle', price: 1, site: 'EBAY_US', tenantId };
    const reply = await nc.request(rpcSubject(topology, RANKING_RPC.productCreate), JSON.stringify(body), {
      timeout: 5_000,
    });
    expect(reply.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('site') },
    });
  });

  it('keeps one keyword per site: the same text on EBAY_GB and EBAY_US is two shelves, each with its site', async () => {
    const gb = await create({ ...ebayItem, externalId: 'v1|20|0', site: 'EBAY_GB', keywords: ['Travel Kettle'] });
    const us = await create({ ...ebayItem, externalId: 'v1|21|0', keywords: ['travel kettle'] });
    const gbKeyword = gb.body.keywords[0]?.keywordId;
    const usKeyword = us.body.keywords[0]?.keywordId;
    expect(gbKeyword).toBeDefined();
    expect(gbKeyword).not.toBe(usKeyword);
    const second = await api.call<RankingKeywordAttached>('POST', `/v1/products/${gb.body.id}/keywords`, {
      key,
      body: { keyword: 'kettle' },
    });
    expect(second.body).toMatchObject({ marketplace: 'ebay', site: 'EBAY_GB', keyword: 'kettle', created: true });
    const another = await create({ ...ebayItem, externalId: 'v1|22|0', site: 'EBAY_GB', keywords: ['travel kettle'] });
    expect(another.body.keywords[0]?.keywordId).toBe(gbKeyword);
    const keywords = await api.call<Page<RankingKeywordView>>('GET', '/v1/keywords?limit=100', { key });
    const sites = Object.fromEntries(keywords.body.items.map((keyword) => [keyword.id, keyword.site]));
    expect(sites).toMatchObject({ [gbKeyword ?? '']: 'EBAY_GB', [usKeyword ?? '']: 'EBAY_US' });
  });

  it('crawls the keyword of an EBAY_GB product on EBAY_GB: the crawler’s port gets the site, the events carry it', async () => {
    const crawler = platform.services[1]?.app.get<KeywordCrawler>(KEYWORD_CRAWLER);
    if (!crawler) {
      throw new Error('the crawler is not running');
    }
    const seen: Parameters<KeywordCrawler['crawl']>[0][] = [];
    const real = crawler.crawl.bind(crawler);
    const spy = jest.spyOn(crawler, 'crawl').mockImplementation(async (request) => {
      seen.push(request);
      return request.marketplace === 'ebay' ? ebayShelf : real(request);
    });
    try {
      const product = await create({
        ...ebayItem,
        externalId: 'v1|30|0',
        site: 'EBAY_GB',
        keywords: ['electric kettle'],
      });
      const keywordId = product.body.keywords[0]?.keywordId ?? '';
      const crawlId = await crawlAndWait(api, key, keywordId);
      expect(seen).toEqual([
        expect.objectContaining({ marketplace: 'ebay', site: 'EBAY_GB', keyword: 'electric kettle' }),
      ]);
      await eventually(async () => {
        const sites = (await eventsOf(STREAMS.CRAWL))
          .filter((event) => 'crawlId' in event.data && event.data.crawlId === crawlId && 'site' in event.data)
          .map((event) => [event.type, event.data]);
        expect(sites).toEqual([
          ['crawl.requested', expect.objectContaining({ site: 'EBAY_GB' })],
          ['crawl.completed', expect.objectContaining({ site: 'EBAY_GB', orderFidelity: 'approximate' })],
        ]);
      }, 10_000);
    } finally {
      spy.mockRestore();
    }
  });

  it('announces the product with its site and currency on tracking.product.added', async () => {
    const product = await create({ ...ebayItem, externalId: 'v1|40|0', site: 'EBAY_AU' });
    await eventually(async () => {
      const added = (await eventsOf(STREAMS.TRACKING)).find(
        (event) => event.type === 'tracking.product.added' && event.data.productId === product.body.id,
      );
      expect(added?.data).toMatchObject({ marketplace: 'ebay', site: 'EBAY_AU', currency: 'AUD', price: 64.99 });
    }, 10_000);
  });
});
