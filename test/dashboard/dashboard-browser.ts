import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { eventually } from '@shelfwatch/testing';
import { Browser, BrowserContext, Locator, Page, chromium } from 'playwright-core';

const ROOT = resolve(__dirname, '..', '..');
export const SCREENSHOT_DIR = resolve(ROOT, 'docs', 'screenshots');

/** Laptop and phone, the two widths the dashboard is shown at. */
export const VIEWPORTS = {
  laptop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
} as const;

/** Builds `dist/dashboard` (what the gateway serves at `/`), as `npm run build:dashboard` does. */
export function buildDashboard(): void {
  execFileSync(process.execPath, [resolve(ROOT, 'web', 'dashboard', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

/** Debian's headless Chromium (we run as root, hence no sandbox). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}

/**
 * Screenshots of the current page at laptop and phone width into docs/screenshots, only when
 * `DASHBOARD_SCREENSHOTS=1` (CI never rewrites the committed images). Restores the laptop viewport.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.DASHBOARD_SCREENSHOTS !== '1') {
    return;
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    // Chart.js redraws on resize; give it a frame or two.
    await page.waitForTimeout(300);
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(VIEWPORTS.laptop);
}

/** Waits until the locator's text contains `expected` (string or pattern). */
export async function textOf(locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => {
      const text = (await locator.first().textContent({ timeout: 500 })) ?? '';
      if (typeof expected === 'string') {
        expect(text).toContain(expected);
      } else {
        expect(text).toMatch(expected);
      }
    },
    timeoutMs,
    100,
  );
}

/** Waits until the locator is visible. */
export async function visible(locator: Locator, timeoutMs = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Waits until the locator is hidden or gone. */
export async function hidden(locator: Locator, timeoutMs = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** A slow mobile link for `page` (Chromium's network emulation): 400 kbit/s each way, 400 ms round trips. */
export async function throttle(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: (400 * 1024) / 8,
    uploadThroughput: (400 * 1024) / 8,
  });
}
