import { eventually } from '@shelfwatch/testing';
import { Browser, Page } from 'playwright-core';
import { groundTruth } from '../../tools/marketplace-sim/src';
import { EXTRA_SERVICES } from '../../services/gateway/test/extra-services';
import {
  ADMIN_KEY,
  Platform,
  SIM_SEED,
  SIM_T0,
  crawlAndWait,
  startPlatform,
} from '../../services/gateway/test/gateway.e2e-harness';
import { VIEWPORTS, buildDashboard, hidden, launchChromium, screenshot, textOf, visible } from './dashboard-browser';

/** On the simulated shelf of this keyword, rank 2 has no price (lprice 0) and rank 3 has one. */
const KEYWORD = 'desk lamp';
const RANK = 3;
/** The catalogue price typed in: above the observed shelf price, so both show. */
const CATALOGUE_PRICE = 35_000;
const OWN_CLIENT_ID = 'acme-own-naver-client-1234';
const REJECTED_CLIENT_ID = 'revoked-naver-client-9999';
const SECRET = 'do-not-echo-this-secret-5f1c';

interface KeywordView {
  id: string;
  intervalMinutes: number;
  paused: boolean;
  crawlHealth?: { failing: boolean };
}

/**
 * Issue 15 in the seller dashboard: marketplace status and credentials, keyword interval and pause, the
 * failing badge, where "my price" comes from, crawl retries, plan and usage. Headless Chromium against a
 * listening gateway with the simulator and every service on the real Postgres and NATS (as the dashboard e2e).
 * Needs the issue 15 services: it passes once their branches are merged.
 */
describe('issue 15 in the seller dashboard', () => {
  let platform: Platform;
  let baseUrl: string;
  let tenant: { id: string; apiKey: string };
  let keywordId: string;
  let browser: Browser;
  let page: Page;
  const shelf = groundTruth(SIM_SEED, KEYWORD, SIM_T0);
  const mine = shelf[RANK - 1];
  const unpriced = shelf.slice(0, 20).find((item) => item.lprice === 0);

  const keywordOf = async (): Promise<KeywordView> => {
    const answer = await platform.api.call<{ items: KeywordView[] }>('GET', '/v1/keywords', { key: tenant.apiKey });
    const found = answer.body.items.find((keyword) => keyword.id === keywordId);
    if (!found) {
      throw new Error(`keyword ${keywordId} is not listed: ${answer.text}`);
    }
    return found;
  };
  const credentialsSource = async (): Promise<string> => {
    const answer = await platform.api.call<{ items: { id: string; credentials: { source: string } }[] }>(
      'GET',
      '/v1/marketplaces',
      { key: tenant.apiKey },
    );
    return answer.body.items.find((item) => item.id === 'naver')?.credentials.source ?? 'absent';
  };
  const naver = () => page.locator('[data-marketplace="naver"]');

  beforeAll(async () => {
    if (!mine || !unpriced) {
      throw new Error(`the simulator shelf of "${KEYWORD}" changed: no item at rank ${RANK} or no unpriced one`);
    }
    buildDashboard();
    // Short retry waits and two attempts, so a failing crawl ends within seconds. The breaker stays closed: attempts
    // it refuses unsent do not count, so with it open a crawl would retry for its whole interval.
    platform = await startPlatform(
      EXTRA_SERVICES,
      {},
      {
        CRAWL_RETRY_BASE_MS: '3000',
        CRAWL_RETRY_MAX_MS: '3000',
        CRAWL_RETRY_MAX_ATTEMPTS: '2',
        NAVER_BREAKER_VOLUME_THRESHOLD: '10000',
      },
    );
    await platform.api.sut.app.listen(0, '127.0.0.1');
    baseUrl = (await platform.api.sut.app.getUrl()).replace('[::1]', '127.0.0.1');
    tenant = await platform.api.tenant('marketplaces-e2e');
    const created = await platform.api.call<{ keywords: { keywordId: string }[] }>('POST', '/v1/products', {
      key: tenant.apiKey,
      body: {
        marketplace: 'naver',
        externalId: mine.productId,
        name: 'Acme lamp',
        price: CATALOGUE_PRICE,
        keywords: [KEYWORD],
      },
    });
    keywordId = created.body.keywords[0]?.keywordId ?? '';
    expect(created.status).toBe(201);
    await crawlAndWait(platform.api, tenant.apiKey, keywordId);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: VIEWPORTS.laptop })).newPage();
    await page.goto(baseUrl);
    await page.getByLabel('API key').fill(tenant.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Products', level: 1 }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows each marketplace with its status in words and the credentials crawls use', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplaces' }).click();
    await visible(page.getByRole('heading', { name: 'Naver Shopping', level: 2 }));
    // One successful crawl so far: the marketplace works.
    await textOf(naver().locator('.badge.state[data-state="ok"]'), 'Working normally');
    await textOf(naver().locator('dl.facts').first(), 'Requests today');
    await textOf(naver().locator('dl.facts').first(), 'Succeeded in the last hour');
    await textOf(naver().locator('.credentials-source[data-source="platform"]'), "ShelfWatch's shared credentials");
    await screenshot(page, 'marketplaces');
  });

  it('refuses credentials Naver rejects with a sentence, keeps nothing and never echoes the secret', async () => {
    platform.sim.control.setFaults({ rejectedClientIds: [REJECTED_CLIENT_ID] });
    await naver().getByLabel('Client id').fill(REJECTED_CLIENT_ID);
    await naver().getByLabel('Client secret').fill(SECRET);
    expect(await naver().getByLabel('Client secret').getAttribute('type')).toBe('password');
    await naver().getByRole('button', { name: 'Check and save' }).click();
    await textOf(naver().locator('.credentials-status'), 'did not accept these credentials');
    expect(await naver().getByLabel('Client secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(SECRET);
    expect(await credentialsSource()).toBe('platform');
  }, 30_000);

  it('stores own credentials (shown by their last four only), then removes them after a confirmation', async () => {
    await naver().getByLabel('Client id').fill(OWN_CLIENT_ID);
    await naver().getByLabel('Client secret').fill(SECRET);
    await naver().getByRole('button', { name: 'Check and save' }).click();
    await textOf(naver().locator('.credentials-source[data-source="tenant"]'), 'Your own (client id …1234)', 20_000);
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.content()).not.toContain(OWN_CLIENT_ID);
    expect(await credentialsSource()).toBe('tenant');

    await naver().getByRole('button', { name: 'Remove my credentials' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove your Naver Shopping credentials?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await hidden(confirm);
    expect(await credentialsSource()).toBe('tenant');
    await naver().getByRole('button', { name: 'Remove my credentials' }).click();
    await confirm.getByRole('button', { name: 'Remove my credentials' }).click();
    await hidden(confirm);
    await visible(naver().locator('.credentials-source[data-source="platform"]'));
    expect(await credentialsSource()).toBe('platform');
  }, 30_000);

  it('says which price is mine (observed at the mall, with the catalogue price) and "no price" for a listing without one', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
    const row = page.locator(`tr[data-keyword="${KEYWORD}"]`);
    await textOf(row.locator('.price-source').first(), `my price observed at ${mine?.mallName ?? ''}`);
    await textOf(row, 'catalogue price ₩35,000');
    await row.getByRole('link', { name: KEYWORD }).click();
    await textOf(page.locator('.standings .my-price'), `observed at ${mine?.mallName ?? ''}`);
    await textOf(page.locator('.standings .my-price'), 'catalogue price ₩35,000');
    await textOf(page.locator(`table.results tr[data-external-id="${unpriced?.productId ?? ''}"]`), 'no price');
    await page.locator('#price-title-section summary').click();
    await textOf(page.locator('#price-title-section table'), 'observed at');
    await screenshot(page, 'keyword-prices');
  });

  it('changes the interval and pauses the keyword; an interval the plan refuses is put back with a sentence', async () => {
    const interval = page.getByLabel('Crawl', { exact: true });
    await interval.selectOption('120');
    await textOf(page.locator('.schedule-status'), 'Saved: this keyword is crawled every 2 hours.');
    expect((await keywordOf()).intervalMinutes).toBe(120);

    await page.getByRole('button', { name: 'Pause scheduled crawls' }).click();
    await textOf(page.locator('.schedule-status'), 'paused');
    await visible(page.getByRole('button', { name: 'Resume scheduled crawls' }));
    await eventually(async () => expect((await keywordOf()).paused).toBe(true), 10_000, 100);

    // The plan changes behind the page's back: the free plan crawls at most every 6 hours.
    const plan = await platform.api.call('PUT', `/v1/tenants/${tenant.id}/plan`, {
      key: ADMIN_KEY,
      body: { plan: 'free' },
    });
    expect(plan.status).toBe(200);
    await interval.selectOption('180');
    await textOf(page.locator('.schedule-status.error'), 'That interval is not allowed');
    expect(await interval.inputValue()).toBe('120');
    expect((await keywordOf()).intervalMinutes).toBe(120);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
    await visible(page.locator(`tr[data-keyword="${KEYWORD}"] .badge.paused`));
    await page.getByRole('link', { name: KEYWORD }).click();
    await page.getByRole('button', { name: 'Resume scheduled crawls' }).click();
    await visible(page.getByRole('button', { name: 'Pause scheduled crawls' }));
    // The page shows the change at once; the PATCH behind it lands a moment later.
    await eventually(async () => expect((await keywordOf()).paused).toBe(false), 10_000, 100);
  }, 30_000);

  it("shows the plan and today's usage in Settings", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await visible(page.getByRole('heading', { name: 'Plan and usage today', level: 2 }));
    await textOf(page.locator('.plan .plan-name'), 'free plan: up to 20 keywords');
    await textOf(page.locator('.plan .usage'), 'naver:');
    await screenshot(page, 'settings-plan');
  });

  it('shows a failing crawl with its attempts, then the keyword as failing and the marketplace as not ok', async () => {
    platform.sim.control.setFaults({ outage: 'unavailable' });
    try {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
      await page.getByRole('link', { name: KEYWORD }).click();
      await page.getByRole('button', { name: 'Crawl now' }).click();
      await textOf(page.locator('.crawl-status'), /The crawl failed after \d+ attempts/, 45_000);
      // Fail crawls until the keyword counts as failing, as its schedule would.
      await eventually(
        async () => {
          if ((await keywordOf()).crawlHealth?.failing !== true) {
            await crawlUntilFailed();
          }
          expect((await keywordOf()).crawlHealth?.failing).toBe(true);
        },
        120_000,
        500,
      );
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
      const badge = page.locator(`tr[data-keyword="${KEYWORD}"] .badge.failing`);
      await textOf(badge, '⚠ failing');
      expect(await badge.getAttribute('title')).toMatch(/in a row failed; last: \S+: .+/);
      await badge.locator('xpath=..').getByRole('link', { name: KEYWORD }).click();
      await textOf(page.getByTestId('keyword-failing'), 'in a row failed');
      await screenshot(page, 'keyword-failing');
      // Most crawls of the hour failing makes the marketplace degraded (or unhealthy): fail more until it says so.
      await eventually(
        async () => {
          await crawlUntilFailed();
          // Away and back: the page reads the status again.
          await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
          await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplaces' }).click();
          await textOf(naver().locator('.badge.state'), /Degraded|Unhealthy/, 2_000);
        },
        120_000,
        1_000,
      );
      await screenshot(page, 'marketplaces-degraded');
    } finally {
      platform.sim.control.setFaults({ outage: false });
    }
  }, 300_000);

  /** Requests a crawl (202, or 409 while one runs) and waits until the keyword's newest crawl has failed. */
  async function crawlUntilFailed(): Promise<void> {
    await platform.api.call('POST', '/v1/crawls', { key: tenant.apiKey, body: { keywordId } });
    await eventually(
      async () => {
        const crawls = await platform.api.call<{ items: { status: string }[] }>(
          'GET',
          `/v1/crawls?keywordId=${keywordId}&limit=1`,
          { key: tenant.apiKey },
        );
        expect(crawls.body.items[0]?.status).toBe('failed');
      },
      30_000,
      500,
    );
  }
});
