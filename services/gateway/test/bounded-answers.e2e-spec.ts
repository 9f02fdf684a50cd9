import { MikroORM } from '@mikro-orm/postgresql';
import {
  Page,
  RANKING_RPC,
  REPORTING_MAX_HISTORY_POINTS,
  RankingProductView,
  ReportingRankHistoryView,
} from '@shelfwatch/contracts';
import { RpcReply, rpcSubject } from '@shelfwatch/messaging';
import { eventually } from '@shelfwatch/testing';
import { metricValue } from '../../../libs/resilience/test/metric-value';
import { reportingPersistence } from '../../reporting/src/reporting.persistence';
import { EXTRA_SERVICES } from './extra-services';
import { Api, Platform, startPlatform } from './gateway.e2e-harness';

/** The largest keyword the API accepts: 200 characters, each 3 bytes in UTF-8 (Naver's shoppers type Korean). */
function largestKeyword(n: number): string {
  const prefix = `${n} `;
  return prefix + '가'.repeat(200 - prefix.length);
}

/** Every page of `path`, following `nextCursor`; stops after `maxPages` so a cursor loop fails instead of hanging. */
async function allPages<T>(api: Api, key: string, path: string, maxPages = 50): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | null = null;
  do {
    const url: string = cursor === null ? path : `${path}&cursor=${cursor}`;
    const page = await api.call<Page<T>>('GET', url, { key });
    expect(page.status).toBe(200);
    pages.push(page.body);
    cursor = page.body.nextCursor;
  } while (cursor !== null && pages.length < maxPages);
  return pages;
}

/**
 * Answers too large for one NATS message (1 MB), asked for through the gateway with the largest inputs the
 * API accepts. Before the fix ranking's `msg.respond` threw `max_payload size exceeded` outside any handler
 * and the process died; now a list answers bounded pages and a history is refused naming what fits.
 */
describe('answers larger than one NATS message', () => {
  let platform: Platform;
  let api: Api;

  beforeAll(async () => {
    const reporting = EXTRA_SERVICES.filter((extra) => extra.persistence === reportingPersistence);
    platform = await startPlatform(reporting);
    api = platform.api;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it("answers `this is not json {` on ranking's list subject with invalid, and the API keeps answering", async () => {
    const key = (await api.tenant('prankster')).apiKey;
    const { nc, topology } = platform.environment.nats;
    const subject = rpcSubject(topology, RANKING_RPC.productList);
    const notJson = { subject: RANKING_RPC.productList, reason: 'not_json' };
    const before = await metricValue('shelfwatch_rpc_failures_total', notJson);

    const reply = await nc.request(subject, 'this is not json {', { timeout: 3_000 });
    expect(reply.json<RpcReply<unknown>>()).toMatchObject({ ok: false, error: { code: 'invalid' } });
    for (let i = 0; i < 3; i++) {
      nc.publish(subject, 'this is not json {');
    }
    // A wedged ranking connection answered 504 for ~10 s; the gateway waits at most DOWNSTREAM_TIMEOUT_MS (5 s).
    const page = await api.call<Page<RankingProductView>>('GET', '/v1/products?limit=1', { key });
    expect(page).toMatchObject({ status: 200, body: { items: [], total: 0 } });
    // The publishes travel on another connection than the gateway's request: they may be served after it.
    await eventually(async () => expect(await metricValue('shelfwatch_rpc_failures_total', notJson)).toBe(before + 4));
  });

  it('refuses an hourly history of every keyword over 93 days naming what fits, and still answers one keyword', async () => {
    const key = (await api.tenant('historian')).apiKey;
    const keywords = Array.from({ length: 20 }, (_, n) => `history keyword ${n}`);
    const created = await api.call<RankingProductView>('POST', '/v1/products', {
      key,
      body: { marketplace: 'naver', externalId: 'history-1', name: 'History', price: 1_000, keywords },
    });
    expect(created.status).toBe(201);
    const productId = created.body.id;
    const to = '2026-11-22T00:00:00.000Z';
    const from = new Date(Date.parse(to) - 93 * 86_400_000).toISOString();
    const path = `/v1/products/${productId}/rank-history?bucket=hour&from=${from}&to=${to}`;
    await eventually(async () => expect((await api.call('GET', path, { key })).status).toBe(200), 60_000);
    await seedHourlyHistory(platform, productId, from, to);

    // 20 keywords × 2 232 hours: ~4.4 MB of points in one answer. The gateway kept the empty answer read above for
    // up to a second (API_ANSWER_CACHE_TTL_MS); the history was written behind its back, so ask for a fresh one.
    const everything = await api.call<{ type: string; detail: string }>('GET', path, {
      key,
      headers: { 'cache-control': 'no-cache' },
    });
    expect(everything).toMatchObject({
      status: 400,
      body: { type: 'https://shelfwatch.dev/problems/validation' },
    });
    expect(everything.body.detail).toContain(`more than ${REPORTING_MAX_HISTORY_POINTS} points`);
    expect(everything.body.detail).toContain('with 20 keyword series an hourly history may span at most 17 days');

    const keywordId = created.body.keywords[0]?.keywordId ?? '';
    const one = await api.call<ReportingRankHistoryView>('GET', `${path}&keywordId=${keywordId}`, { key });
    expect(one.status).toBe(200);
    expect(one.body.series).toHaveLength(1);
    expect(one.body.series[0]?.points).toHaveLength(93 * 24);
    const prices = await api.call<{ points: unknown[] }>(
      'GET',
      `/v1/reports/price-history?productId=${productId}&keywordId=${keywordId}&bucket=hour&from=${from}&to=${to}`,
      { key },
    );
    expect(prices.status).toBe(200);
    expect(prices.body.points).toHaveLength(93 * 24);
  }, 120_000);

  it('pages 100 products × 50 keywords of 200 characters in bounded pages that lose no product', async () => {
    const key = (await api.tenant('hoarder')).apiKey;
    const keywords = Array.from({ length: 50 }, (_, n) => largestKeyword(n));
    for (let n = 0; n < 100; n++) {
      const created = await api.call('POST', '/v1/products', {
        key,
        body: { marketplace: 'naver', externalId: `bulk-${n}`, name: 'n'.repeat(500), price: n, keywords },
      });
      expect(created.status).toBe(201);
    }

    const pages = await allPages<RankingProductView>(api, key, '/v1/products?limit=100');
    const first = pages[0];
    expect(first?.total).toBe(100);
    // One page of 100 would be ~3.8 MB: the first page stops early and its cursor leads to the rest.
    expect(first?.items.length).toBeLessThan(100);
    expect(first?.nextCursor).toEqual(expect.any(String));
    const ids = pages.flatMap((page) => page.items.map((product) => product.id));
    expect(new Set(ids).size).toBe(100);
    expect(ids).toHaveLength(100);
    for (const page of pages) {
      expect(page.items.every((product) => product.keywords.length === 50)).toBe(true);
    }

    const normal = await api.call<Page<RankingProductView>>('GET', '/v1/products?limit=1', { key });
    expect(normal).toMatchObject({ status: 200, body: { total: 100 } });
  }, 180_000);
});

/** Writes an hourly bucket of every keyword of the product for every hour of `[from, to)` into reporting's read model. */
async function seedHourlyHistory(platform: Platform, productId: string, from: string, to: string): Promise<void> {
  const reporting = platform.services.find((sut) => sut.app.get(MikroORM).config.get('schema') === 'reporting');
  if (!reporting) {
    throw new Error('reporting is not running');
  }
  const em = reporting.app.get(MikroORM).em.fork();
  await eventually(async () => {
    const known = await em.execute<{ n: number }[]>(
      'select count(*)::int as n from reporting.product_keywords where product_id = ?',
      [productId],
    );
    expect(known[0]?.n).toBe(20);
  }, 60_000);
  await em.execute(
    `insert into reporting.rank_hourly
       (tenant_id, product_id, keyword_id, bucket, last_at, samples, rank_min, rank_max, rank_last, my_price,
        competitor_min)
     select pk.tenant_id, pk.product_id, pk.keyword_id, hour, hour, 1, 1000, 1100, 1050, 123456.78, 99999.99
       from reporting.product_keywords pk,
            generate_series(?::timestamptz, ?::timestamptz - interval '1 hour', interval '1 hour') hour
      where pk.product_id = ?`,
    [from, to, productId],
  );
}
