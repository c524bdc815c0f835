import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveTestApp, type TestApp } from '../support/test-app.js';

// Debian's chromium driven by playwright-core (no browser download); .ci/run installs the package.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'docs/screenshots';

export interface BrowserSession { browser: Browser; page: Page; base: string; errors: string[]; close(): Promise<void> }

/** A real server on 127.0.0.1 for the test app, and a headless chromium page that collects script errors. */
export async function openBrowser(t: TestApp, viewport = { width: 1400, height: 900 }): Promise<BrowserSession> {
  const served = await serveTestApp(t);
  const base = served.base;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { browser, page, base, errors, close: async () => { await browser.close(); await served.close(); } };
}

export async function signIn(s: BrowserSession, username: string, password: string): Promise<void> {
  await s.page.goto(s.base);
  await s.page.fill('input[name=username]', username);
  await s.page.fill('input[name=password]', password);
  await s.page.click('#login button');
  await s.page.waitForSelector('#signout:not([hidden])');
}

/** With QUELL_SCREENSHOTS=1, saves the page as docs/screenshots/<name>.png (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.QUELL_SCREENSHOTS !== '1') return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}
