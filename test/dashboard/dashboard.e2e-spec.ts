import { eventually } from '@shelfwatch/testing';
import { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { groundTruth } from '../../tools/marketplace-sim/src';
import { EXTRA_SERVICES } from '../../services/gateway/test/extra-services';
import { Platform, SIM_SEED, SIM_T0, startPlatform } from '../../services/gateway/test/gateway.e2e-harness';
import {
  VIEWPORTS,
  buildDashboard,
  hidden,
  launchChromium,
  screenshot,
  textOf,
  throttle,
  visible,
} from './dashboard-browser';

const KEYWORD = 'wireless earbuds';
const RANK = 3;
/**
 * What the sign-in form may cost before it is usable (HTML, CSS, the entry bundle, decoded): on the slow link
 * (400 kbit/s ≈ 50 KB/s, 400 ms round trips) this is what keeps it usable within about 3 s, a budget a loaded CI
 * machine cannot break the way a stopwatch can.
 */
const SIGN_IN_MAX_BYTES = 48 * 1024;
const SIGN_IN_MAX_REQUESTS = 6;

/**
 * The seller dashboard in headless Chromium, served by a listening gateway in front of the simulator,
 * crawler, ranking, alerting, reporting and retention on the real Postgres and NATS.
 */
describe('seller dashboard in a real browser', () => {
  let platform: Platform;
  let baseUrl: string;
  let apiKey: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const item = groundTruth(SIM_SEED, KEYWORD, SIM_T0)[RANK - 1];

  beforeAll(async () => {
    buildDashboard();
    platform = await startPlatform(EXTRA_SERVICES);
    await platform.api.sut.app.listen(0, '127.0.0.1');
    baseUrl = (await platform.api.sut.app.getUrl()).replace('[::1]', '127.0.0.1');
    apiKey = (await platform.api.tenant('acme')).apiKey;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORTS.laptop });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('says clearly when the API key is wrong', async () => {
    await page.goto(baseUrl);
    await page.getByLabel('API key').fill('sw_wrong_key_0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await textOf(page.getByRole('alert'), 'That API key was not recognised');
    await screenshot(page, 'sign-in');
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
  });

  it('signs in with the tenant key, which never appears in the URL', async () => {
    await page.getByLabel('API key').fill(apiKey);
    await page.getByLabel('Stay signed in in this browser tab').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Products', level: 1 }));
    expect(page.url()).not.toContain(apiKey);
  });

  it('adds a product with a keyword', async () => {
    if (!item) {
      throw new Error('the simulator shelf has no third item');
    }
    await page.getByRole('button', { name: 'Add a product' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a product' });
    await dialog.getByLabel('Product id on the marketplace').fill(item.productId);
    await dialog.getByLabel('Name').fill('Acme earbuds');
    // Cheaper listings are on the shelf: the first crawl raises a price undercut.
    await dialog.getByLabel('My price').fill('64900');
    await dialog.getByLabel('Keywords').fill(KEYWORD);
    const posted = page.waitForRequest(
      (request) => request.method() === 'POST' && request.url().endsWith('/v1/products'),
    );
    await dialog.getByRole('button', { name: 'Add product' }).click();
    await hidden(dialog);
    // Naver has no sites: the body names the marketplace and no site.
    expect((await posted).postDataJSON()).toMatchObject({ marketplace: 'naver', price: 64_900 });
    expect((await posted).postDataJSON()).not.toHaveProperty('site');
    const row = page.locator(`tr[data-keyword="${KEYWORD}"]`);
    await textOf(row, 'not crawled yet');
    await textOf(page.locator('.product-name'), 'Acme earbuds');
  });

  it('crawls now, then shows the rank in the results table, the chart and the products table', async () => {
    await page.getByRole('link', { name: KEYWORD }).click();
    await textOf(page.getByRole('heading', { level: 1 }), `“${KEYWORD}”`);
    await page.getByRole('button', { name: 'Crawl now' }).click();
    await textOf(page.locator('.crawl-status'), 'Done:', 45_000);
    await textOf(page.locator('table.results tr.mine'), `#${RANK}`);
    await textOf(page.locator('table.results tr.mine'), 'Your product');
    await visible(page.locator('#rank-title-section canvas'));
    await visible(page.locator('#price-title-section canvas'));
    await page.locator('#rank-title-section summary').click();
    await textOf(page.locator('#rank-title-section table'), String(RANK));
    await page.getByRole('link', { name: 'Products' }).first().click();
    await textOf(page.locator(`tr[data-keyword="${KEYWORD}"] td.rank`), `#${RANK}`);
    await textOf(page.locator(`tr[data-keyword="${KEYWORD}"] td.undercut`), 'cheaper than mine');
  }, 90_000);

  it('keeps the keyword page and "Crawl now" when one part of it cannot be loaded, and loads it again on request', async () => {
    // The reporting service answers 503 to the chart reads (as it would while restarting): only the charts say so.
    await page.route('**/v1/products/*/rank-history*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 503, message: 'Reporting is unavailable' }),
      }),
    );
    try {
      await page.getByRole('link', { name: KEYWORD }).click();
      await textOf(page.locator('.section-error [role=alert]'), 'The charts could not be loaded');
      await visible(page.getByRole('button', { name: 'Crawl now' }));
      await textOf(page.locator('table.results tr.mine'), `#${RANK}`);
    } finally {
      await page.unroute('**/v1/products/*/rank-history*');
    }
    await page.locator('.section-error').getByRole('button', { name: 'Try again' }).click();
    await visible(page.locator('#rank-title-section canvas'));
    await hidden(page.locator('.section-error'));
    await page.getByRole('link', { name: 'Products' }).first().click();
    await visible(page.getByRole('heading', { name: 'Products', level: 1 }));
  }, 60_000);

  it('explains in words when a crawl of the keyword is already running', async () => {
    await page.getByRole('link', { name: KEYWORD }).click();
    const crawlNow = page.getByRole('button', { name: 'Crawl now' });
    await eventually(async () => expect(await crawlNow.isEnabled()).toBe(true));
    // A slow marketplace keeps a crawl started behind the page's back (as the schedule would) running.
    platform.sim.control.setFaults({ latencyMs: 3_000 });
    try {
      const keywordId = new URL(page.url()).hash.split('/')[2]?.split('?')[0] ?? '';
      const started = await platform.api.call('POST', '/v1/crawls', { key: apiKey, body: { keywordId } });
      expect(started.status).toBe(202);
      await crawlNow.click();
      await textOf(page.locator('.crawl-now .notice'), 'already running');
      await screenshot(page, 'keyword-crawl-running');
      await textOf(page.locator('.crawl-status'), 'Done:', 45_000);
    } finally {
      platform.sim.control.setFaults({ latencyMs: 0 });
    }
  }, 90_000);

  it('receives an alert, acknowledges it and links to the chart at that moment', async () => {
    await page.getByRole('link', { name: 'Alerts' }).click();
    const alert = page.locator('li.alert.type-price_undercut').first();
    // Alerts are raised asynchronously after the crawl: filter again until it is there, as a seller would.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Filter' }).click();
      await visible(alert, 1_000);
    }, 30_000);
    await screenshot(page, 'alerts');
    await alert.getByRole('button', { name: /^Acknowledge/ }).click();
    await visible(alert.locator('.badge.status-acknowledged'));
    await page.getByLabel('Status').selectOption('acknowledged');
    await page.getByRole('button', { name: 'Filter' }).click();
    await eventually(async () => expect(await page.locator('li.alert').count()).toBe(1));
    await textOf(page.getByRole('status').filter({ hasText: 'alert' }), '1 alert');
    await page.locator('li.alert').getByRole('link', { name: 'See it on the chart' }).click();
    await textOf(page.locator('p.alert-moment'), 'around the alert');
    await visible(page.locator('#rank-title-section canvas'));
  }, 60_000);

  it('shows brand share of the top N per day', async () => {
    await page.getByRole('link', { name: 'Brands' }).click();
    expect(await page.getByLabel('Keyword').inputValue()).toMatch(/.+/);
    await visible(page.locator('main canvas'));
    await textOf(page.locator('main table.data').last(), '%');
    await screenshot(page, 'brands');
  });

  it('edits alert rules and webhooks in the settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('By at least (%)').fill('2');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await textOf(page.locator('form.rules [role=status]'), 'Saved');
    const rules = await platform.api.call<{ defaults: { priceUndercut: { minPercent: number } } }>(
      'GET',
      '/v1/alert-rules',
      {
        key: apiKey,
      },
    );
    expect(rules.body.defaults.priceUndercut.minPercent).toBe(2);
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hook');
    await page.getByLabel('Description').fill('ERP');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await visible(page.getByText('Signing secret (shown only now)'));
    await page.getByRole('button', { name: 'Delivery log' }).click();
    await textOf(page.locator('.delivery-log'), /Nothing delivered yet|deliveries/);
    await screenshot(page, 'settings');
  });

  it('shows a banner while the platform reports itself degraded', async () => {
    // The gateway has no `/health` of its own: the answer a proxy to the health service would give is stubbed here.
    await page.route('**/health', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ status: 'degraded' }) }),
    );
    await page.reload();
    await textOf(page.locator('#health-banner'), 'degraded');
    await screenshot(page, 'health-banner');
    await page.unroute('**/health');
  });

  it('shows no banner when the platform health cannot be read', async () => {
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Settings', level: 1 }));
    await hidden(page.locator('#health-banner'));
  });

  it('edits a product, adds and removes a keyword, excludes a mall and a listing', async () => {
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('button', { name: 'Edit Acme earbuds' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Acme earbuds' });
    await edit.getByLabel('My price').fill('abc');
    await edit.getByRole('button', { name: 'Save' }).click();
    await textOf(edit.getByRole('alert'), 'Enter your price');
    await edit.getByLabel('My price').fill('59900');
    await edit.getByRole('button', { name: 'Save' }).click();
    await hidden(edit);
    await textOf(page.locator('.product-head .muted'), 'my price ₩59,900');

    await page.getByRole('button', { name: 'Add a keyword to Acme earbuds' }).click();
    const add = page.getByRole('dialog', { name: 'Add a keyword to Acme earbuds' });
    await add.getByLabel('Keyword').fill('Bluetooth  Earbuds');
    await add.getByRole('button', { name: 'Add keyword' }).click();
    await hidden(add);
    // The API normalises keywords: trimmed, lower case, single spaces.
    await visible(page.locator('tr[data-keyword="bluetooth earbuds"]'));
    await page.getByRole('button', { name: 'Remove keyword bluetooth earbuds from Acme earbuds' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove keyword' }).click();
    await hidden(page.locator('tr[data-keyword="bluetooth earbuds"]'));

    await page.getByLabel('Exclude a').selectOption('mall');
    await page.getByLabel('Value').fill('Mall of mine');
    await page.getByRole('button', { name: 'Add exclusion' }).click();
    // Stored as the ranking compares it (lower case).
    await textOf(page.locator('ul.chips'), 'Mall: mall of mine');
    const first = groundTruth(SIM_SEED, KEYWORD, SIM_T0)[0];
    await page.getByLabel('Exclude a').selectOption('product');
    await page.getByLabel('Value').fill(first?.productId ?? '');
    await page.getByRole('button', { name: 'Add exclusion' }).click();
    await textOf(page.locator('ul.chips'), `Product: ${first?.productId ?? ''}`);
    await screenshot(page, 'products');

    // The next crawl marks the excluded listing in the results.
    await page.getByRole('link', { name: KEYWORD }).click();
    await page.getByRole('button', { name: 'Crawl now' }).click();
    await textOf(page.locator('.crawl-status'), 'Done:', 45_000);
    await textOf(page.locator('table.results tr.excluded'), '#1');
    await textOf(page.locator('table.results tr.excluded'), 'Excluded');
    await textOf(page.locator('table.results tr.mine'), 'Your product');
    await screenshot(page, 'keyword');

    const products = await platform.api.call<{ items: { price: number; keywords: unknown[] }[] }>(
      'GET',
      '/v1/products',
      {
        key: apiKey,
      },
    );
    expect(products.body.items).toMatchObject([{ price: 59_900, keywords: [{ keyword: KEYWORD }] }]);
  });

  it('is usable quickly over a slow mobile link (400 kbit/s, 400 ms round trips)', async () => {
    const slow = await browser.newContext({ viewport: VIEWPORTS.phone });
    try {
      const tab = await slow.newPage();
      await throttle(slow, tab);
      const bodies: Promise<number>[] = [];
      const collect = (response: Response): void => {
        bodies.push(
          response.body().then(
            (body) => body.length,
            () => 0,
          ),
        );
      };
      tab.on('response', collect);
      const started = Date.now();
      await tab.goto(baseUrl);
      // What is asserted is the bytes and requests below; the times are printed. The waits are generous: on a
      // machine busy with other suites, Chromium over this link took more than 10 s to show the form once in CI.
      await visible(tab.getByLabel('API key'), 30_000);
      const signInMs = Date.now() - started;
      tab.off('response', collect);
      const signInBytes = (await Promise.all(bodies)).reduce((sum, size) => sum + size, 0);
      await tab.getByLabel('API key').fill(apiKey);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await visible(tab.locator(`tr[data-keyword="${KEYWORD}"]`), 30_000);
      const productsMs = Date.now() - started;
      await tab.getByRole('link', { name: KEYWORD }).click();
      await visible(tab.locator('#rank-title-section canvas'), 30_000);
      const chartMs = Date.now() - started - productsMs;
      process.stdout.write(
        `slow link: sign-in ${signInMs} ms (${bodies.length} requests, ${signInBytes} bytes), ` +
          `products ${productsMs} ms, chart page ${chartMs} ms\n`,
      );
      expect(bodies.length).toBeLessThanOrEqual(SIGN_IN_MAX_REQUESTS);
      expect(signInBytes).toBeLessThan(SIGN_IN_MAX_BYTES);
    } finally {
      await slow.close();
    }
  }, 120_000);

  it('works from the keyboard: skip link, a dialog that traps and returns focus', async () => {
    await page.goto(`${baseUrl}/#/products`);
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Products', level: 1 }));
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Add a product');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add a product' });
    await visible(dialog);
    expect(await page.locator(':focus').getAttribute('name')).toBe('marketplace');
    await page.keyboard.press('Escape');
    await hidden(dialog);
    expect(await page.locator(':focus').textContent()).toBe('Add a product');
  });
});
