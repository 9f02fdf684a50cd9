import { randomUUID } from 'node:crypto';
import { CrawlerTenantUsage } from '@shelfwatch/contracts';
import { nextSeoulMidnight } from '../../src/marketplaces/naver/naver.parse';
import { CrawlerFleet, busiestSecond, startCrawlerFleet } from './crawler-fleet';

// Three BUILT crawler processes (`npx tsc -p tsconfig.build.json` first) against the marketplace simulator: the
// request budget is one for the deployment, not one per replica.

const REPLICAS = 3;

/**
 * A crawl refused for the day's quota is retried at the quota's reset when that falls within the keyword's
 * interval (crawl-retry.policy.ts): Naver's day ends at 15:00 UTC, so between 14:00 and 15:00 UTC these hourly
 * keywords waited for it instead of failing, and the tests below timed out (a clean-clone CI run at 14:10 UTC).
 * One attempt a crawl makes the outcome the same at any time of day; the budget is what they test.
 */
const NO_RETRY = { CRAWL_RETRY_MAX_ATTEMPTS: '1' };

/**
 * The day's count starts again at Naver's reset: a test whose requests straddled it would see a fresh quota halfway.
 * Within two minutes of the reset, wait until it has passed (a test starts its fleet and sends in well under two).
 */
async function clearOfQuotaReset(): Promise<void> {
  const untilReset = nextSeoulMidnight(Date.now()).getTime() - Date.now();
  if (untilReset < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, untilReset + 1_000));
  }
}

describe('one request budget shared by three crawler processes', () => {
  describe('rate and daily quota', () => {
    let fleet: CrawlerFleet;
    const RATE = 5;
    const QUOTA = 60;

    beforeAll(async () => {
      await clearOfQuotaReset();
      fleet = await startCrawlerFleet(REPLICAS, {
        NAVER_RATE_PER_SECOND: String(RATE),
        NAVER_MAX_CONCURRENCY: '4',
        NAVER_DAILY_QUOTA: String(QUOTA),
        CRAWL_MAX_PAGES: '2',
        ...NO_RETRY,
      });
      // 40 keywords of 2 pages want 80 requests: more than the day's 60.
      await fleet.schedule(randomUUID(), 40, 60);
    }, 240_000);

    afterAll(() => fleet?.stop());

    it('never sends more than the rate in any second and stops at exactly the quota', async () => {
      await fleet.settled(120_000);
      const requests = await fleet.requests();
      expect(requests).toHaveLength(QUOTA);
      expect(requests.every((request) => request.status === 200)).toBe(true);
      expect(busiestSecond(requests)).toBeLessThanOrEqual(RATE);
      const runs = await fleet.runs();
      expect(runs['failed:quota_exhausted'] ?? 0).toBeGreaterThan(0);
      expect(Object.keys(runs).sort()).toEqual(['completed', 'failed:quota_exhausted']);
    }, 150_000);
  });

  describe('a quota error (010) seen by one replica', () => {
    let fleet: CrawlerFleet;

    beforeAll(async () => {
      await clearOfQuotaReset();
      fleet = await startCrawlerFleet(REPLICAS, {
        NAVER_RATE_PER_SECOND: '10',
        // One request in flight deployment-wide: the 010 pauses the budget before anyone sends again.
        NAVER_MAX_CONCURRENCY: '1',
        NAVER_DAILY_QUOTA: '1000',
        CRAWL_MAX_PAGES: '1',
        ...NO_RETRY,
      });
      // The marketplace's own count runs out long before ours.
      fleet.sim.control.setFaults({ dailyQuota: 10 });
      await fleet.schedule(randomUUID(), 30, 60);
    }, 240_000);

    afterAll(() => fleet?.stop());

    it('pauses all three: nothing reaches the marketplace after the first 010', async () => {
      await fleet.settled(120_000);
      const requests = await fleet.requests();
      const first010 = requests.findIndex((request) => request.errorCode === '010');
      expect(first010).toBe(10);
      expect(requests).toHaveLength(first010 + 1);
      const { rows } = await fleet.db.query<{ paused_until: Date }>(
        `select paused_until from crawler.request_budgets where budget_key = 'naver:platform'`,
      );
      expect(rows[0]?.paused_until.toISOString()).toMatch(/T15:00:00.000Z$/);
      expect(await fleet.runs()).toEqual({ completed: 10, 'failed:quota_exhausted': 20 });
    }, 150_000);
  });

  describe('fair shares between tenants', () => {
    let fleet: CrawlerFleet;
    const QUOTA = 40;
    const heavy = randomUUID();
    const light = randomUUID();

    beforeAll(async () => {
      fleet = await startCrawlerFleet(REPLICAS, {
        NAVER_RATE_PER_SECOND: '20',
        NAVER_MAX_CONCURRENCY: '4',
        NAVER_DAILY_QUOTA: String(QUOTA),
        CRAWL_MAX_PAGES: '1',
      });
      // The heavy tenant first: its 500 keywords at the minimum interval are requested before the light one's 5.
      await fleet.schedule(heavy, 500, 5);
      await fleet.schedule(light, 5, 60);
    }, 90_000);

    afterAll(() => fleet?.stop());

    // Naver's budget: the fleet's Rakuten application id has shares of its own.
    const usage = async (tenantId: string) =>
      (await fleet.rpc.request<CrawlerTenantUsage[]>('crawler.tenant.usage', { tenantId }, 5_000)).filter(
        (entry) => entry.marketplace === 'naver',
      );

    it("crawls every keyword of the light tenant; the heavy one's crawls fail tenant_quota_exhausted past its share", async () => {
      await fleet.settled(180_000);
      const share = QUOTA / 2;
      expect(await fleet.runs(light)).toEqual({ completed: 5 });
      expect(await fleet.runs(heavy)).toEqual({ completed: share, 'failed:tenant_quota_exhausted': 500 - share });
      expect(await fleet.requests()).toHaveLength(share + 5);

      const [heavyUsage] = await usage(heavy);
      expect(heavyUsage).toMatchObject({
        marketplace: 'naver',
        credentialSource: 'platform',
        usedToday: share,
        shareToday: share,
        exhausted: true,
      });
      expect(heavyUsage?.resetsAt).toMatch(/T15:00:00.000Z$/);
      expect(await usage(light)).toEqual([
        expect.objectContaining({ usedToday: 5, shareToday: share, exhausted: false }),
      ]);
    }, 240_000);
  });

  describe('Rakuten at its one request a second', () => {
    let fleet: CrawlerFleet;

    beforeAll(async () => {
      // Rakuten's defaults: 1 a second, 1 in flight; pages of 10 (CRAWL_PAGE_SIZE) are pages of hits=10.
      fleet = await startCrawlerFleet(REPLICAS, { CRAWL_MAX_PAGES: '2' });
      await fleet.schedule(randomUUID(), 6, 60, 'rakuten');
    }, 90_000);

    afterAll(() => fleet?.stop());

    it('sends at most one request in any second across the three replicas, and completes every crawl', async () => {
      await fleet.settled(120_000);
      const requests = (await fleet.requests()).filter((request) => request.clientId === 'platform-rakuten');
      expect(requests).toHaveLength(12);
      expect(requests.every((request) => request.status === 200)).toBe(true);
      expect(busiestSecond(requests)).toBe(1);
      expect(await fleet.runs()).toEqual({ completed: 6 });
    }, 150_000);
  });
});
