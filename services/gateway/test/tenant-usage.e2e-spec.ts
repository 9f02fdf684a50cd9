import { CRAWLER_RPC } from '@shelfwatch/contracts';
import { eventually } from '@shelfwatch/testing';
import { histogramCount } from '../../../libs/resilience/test/metric-value';
import { Api, Platform, crawlAndWait, startPlatform, trackProductAt } from './gateway.e2e-harness';

const QUOTA = 7;

interface Usage {
  marketplace: string;
  credentialSource: string;
  usedToday: number;
  shareToday: number | null;
  resetsAt: string;
  exhausted: boolean;
}

/** `GET /v1/tenant` shows the tenant's use of its share of the platform quota; past it, crawls fail for the day. */
describe('tenant usage of the shared budget', () => {
  let platform: Platform;
  let api: Api;
  let heavy: { id: string; apiKey: string };
  let light: { id: string; apiKey: string };

  beforeAll(async () => {
    platform = await startPlatform([], {}, { NAVER_DAILY_QUOTA: String(QUOTA) });
    api = platform.api;
    heavy = await api.tenant('heavy');
    light = await api.tenant('light');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** The tenant's use of Naver's budget (Rakuten's platform credentials have a share of their own). */
  const usage = async (key: string): Promise<Usage[] | null> => {
    const answer = await api.call<{ id: string; usage: Usage[] | null }>('GET', '/v1/tenant', { key });
    expect(answer.status).toBe(200);
    return answer.body.usage?.filter((entry) => entry.marketplace === 'naver') ?? null;
  };

  it("counts each crawl's requests against the tenant's share and fails its crawls once the share is spent", async () => {
    // Both tenants have scheduled keywords: each has half the day, floor(7 / 2) = 3 requests.
    const mine = await trackProductAt(api, heavy.apiKey, 'wireless earbuds', 1);
    const theirs = await trackProductAt(api, light.apiKey, 'wireless earbuds pro', 1);
    await eventually(async () =>
      expect(await usage(heavy.apiKey)).toEqual([expect.objectContaining({ shareToday: 3 })]),
    );
    expect(await usage(heavy.apiKey)).toEqual([
      {
        marketplace: 'naver',
        credentialSource: 'platform',
        usedToday: 0,
        shareToday: 3,
        resetsAt: expect.stringMatching(/T15:00:00\.000Z$/),
        exhausted: false,
      },
    ]);

    // The tracked product is on page 1: one request per crawl.
    for (let i = 0; i < 3; i++) {
      await crawlAndWait(api, heavy.apiKey, mine.keywordId);
    }
    // The gateway keeps a tenant's usage for up to a second (TENANT_USAGE_TTL_MS).
    await eventually(async () =>
      expect(await usage(heavy.apiKey)).toEqual([expect.objectContaining({ usedToday: 3, exhausted: true })]),
    );

    const refused = await eventually(async () => {
      const got = await api.call<{ crawlId: string }>('POST', '/v1/crawls', {
        key: heavy.apiKey,
        body: { keywordId: mine.keywordId },
      });
      expect(got.status).toBe(202);
      return got.body.crawlId;
    }, 15_000);
    await eventually(async () => {
      const run = await api.call<{ status: string; failureCode: string | null }>('GET', `/v1/crawls/${refused}`, {
        key: heavy.apiKey,
      });
      expect(run.body).toMatchObject({ status: 'failed', failureCode: 'tenant_quota_exhausted' });
    }, 30_000);
    expect(platform.sim.control.stats().total).toBe(3);

    // The other tenant's share is untouched.
    await crawlAndWait(api, light.apiKey, theirs.keywordId);
    await eventually(async () =>
      expect(await usage(light.apiKey)).toEqual([
        expect.objectContaining({ usedToday: 1, shareToday: 3, exhausted: false }),
      ]),
    );
  }, 120_000);

  it("asks the crawler for a tenant's usage about once a second, however many requests read it", async () => {
    const asked = () =>
      histogramCount('shelfwatch_rpc_request_duration_seconds', { subject: CRAWLER_RPC.tenantUsage, outcome: 'ok' });
    const before = await asked();
    const started = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => usage(light.apiKey)));
    for (let i = 0; i < 10; i++) {
      expect(await usage(light.apiKey)).toEqual([expect.objectContaining({ usedToday: 1 })]);
    }
    const seconds = (performance.now() - started) / 1_000;
    // Asked afresh every request, it would be 30 whatever the machine's speed.
    expect((await asked()) - before).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  it('still says who the tenant is when the crawler does not answer, with usage null', async () => {
    const crawler = platform.services[1];
    await crawler?.close();
    // Null once the usage the gateway kept (up to a second) is gone.
    await eventually(async () => {
      const answer = await api.call<{ id: string; usage: unknown }>('GET', '/v1/tenant', { key: light.apiKey });
      expect(answer).toMatchObject({ status: 200, body: { id: light.id, usage: null } });
    });
  }, 60_000);
});
