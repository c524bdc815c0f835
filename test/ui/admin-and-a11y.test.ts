import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN, netconnRow } from '../support/rows.js';
import { openBrowser, screenshot, signIn, type BrowserSession } from './browser.js';

/** Controls on the page without an accessible name (aria-label, aria-labelledby, a label, or their own text). */
const unnamed = (s: BrowserSession) => s.page.$$eval('#view input, #view select, #view textarea, #view button', (els) => els
  .filter((e) => !(e as HTMLElement).closest('[hidden]') && (e as HTMLInputElement).type !== 'hidden')
  .filter((e) => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || ((e as HTMLInputElement).labels?.length ?? 0) > 0
    || (e.tagName === 'BUTTON' && e.textContent?.trim())))
  .map((e) => e.outerHTML.slice(0, 120)));

describe('admin pages and accessibility in a real browser', () => {
  let t: TestApp;
  let s: BrowserSession;
  beforeAll(async () => {
    t = await createTestApp();
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst'))
      .send([netconnRow({ DeviceName: 'invoice\u202Egpj.exe' }), netconnRow({ DeviceName: 'plain-host' })]);
    s = await openBrowser(t);
    await signIn(s, 'admin', t.adminPassword!);
  });
  afterAll(async () => { await s?.close(); await t?.close(); });

  it('when a hit field holds a bidi override, then the queue and the detail show it as a visible code point, never reordered', async () => {
    await s.page.waitForSelector('text=plain-host');
    expect(await s.page.textContent('table.queue')).toContain('invoice⟨U+202E⟩gpj.exe');
    await s.page.click('text=invoice⟨U+202E⟩gpj.exe');
    await s.page.waitForSelector('h2 >> text=invoice⟨U+202E⟩gpj.exe');
    expect(await s.page.title()).toBe('Hit invoice⟨U+202E⟩gpj.exe · Quell');
    expect(await s.page.textContent('#view')).not.toContain('\u202E');
    await screenshot(s.page, 'hit-detail');
  });

  it('when the queue, a hit, the rule editor and the admin pages are shown, then every control has an accessible name and the title follows', async () => {
    for (const [hash, title] of [['#/queue', 'Queue'], ['#/rules/new', 'New rule'], ['#/hunts', 'Hunts'], ['#/lists', 'Suppression lists'],
      ['#/users', 'Users'], ['#/audit', 'Audit'], ['#/overview', 'Overview']] as const) {
      await s.page.goto(`${s.base}/${hash}`);
      await s.page.waitForFunction((t) => document.title === `${t} · Quell`, title);
      await s.page.waitForSelector('#view:not([aria-busy])');
      expect(await unnamed(s), hash).toEqual([]);
    }
    expect(await s.page.$$eval('#live[aria-live=polite]', (e) => e.length)).toBe(1);
  });

  it('when a filter is applied, saved and left, then the URL carries it, Back restores the queue before it, and the saved filter brings it back', async () => {
    await s.page.goto(`${s.base}/#/queue`);
    await s.page.waitForSelector('text=2 hits match');
    await s.page.fill('input[name=devicePrefix]', 'plain');
    await s.page.click('form.filters button:has-text("Filter")');
    await s.page.waitForSelector('text=1 hit matches');
    expect(await s.page.evaluate(() => location.hash)).toBe('#/queue?devicePrefix=plain');
    s.page.once('dialog', (d) => { void d.accept('plain hosts'); });
    await s.page.click('button:has-text("Save filter")');
    await s.page.waitForSelector('text=saved filter "plain hosts"');
    await s.page.goBack();
    await s.page.waitForSelector('text=2 hits match');
    await s.page.waitForSelector('select[aria-label="Saved filters"] >> text=plain hosts', { state: 'attached' });
    await s.page.selectOption('select[aria-label="Saved filters"]', { label: 'plain hosts' });
    await s.page.waitForSelector('text=1 hit matches');
    expect(await s.page.inputValue('input[name=devicePrefix]')).toBe('plain');
  });

  it('when the overview is opened, then it draws hits by status as an inline SVG with a label', async () => {
    await s.page.goto(`${s.base}/#/overview`);
    await s.page.waitForSelector('svg.chart[role=img]');
    expect(await s.page.getAttribute('svg.chart', 'aria-label')).toMatch(/Hits per day by status over 14 days/);
  });

  it('when a results file is uploaded on the hunts page, then a progress bar runs and the ingest result shows in the success colour', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quell-upload-'));
    const file = join(dir, 'results.ndjson');
    writeFileSync(file, [netconnRow({ DeviceName: 'uploaded-1' }), netconnRow({ DeviceName: 'uploaded-2' })].map((r) => JSON.stringify(r)).join('\n'));
    await s.page.goto(`${s.base}/#/hunts`);
    await s.page.setInputFiles(`.dropzone[data-hunt="${NETCONN}"] input[type=file]`, file);
    await s.page.waitForSelector(`.dropzone[data-hunt="${NETCONN}"] .note.ok >> text=2 rows, 2 new`);
    const hits = await request(t.app).get('/api/hits').query({ devicePrefix: 'uploaded-' }).set(t.auth('viewer'));
    expect(hits.body.total).toBe(2);
  });

  it('when a hunt has no schedule or a list no target, then the Sentinel panels say so instead of failing silently', async () => {
    await s.page.goto(`${s.base}/#/hunts`);
    const runs = s.page.locator('tr', { has: s.page.locator(`.dropzone[data-hunt="${NETCONN}"]`) }).locator('details.runs');
    await runs.locator('summary').click();
    await runs.locator('text=No schedule: runs come from uploads only.').waitFor();
    await runs.locator('button:has-text("Run now")').click();
    await runs.locator('.note.error').waitFor();
    expect(await runs.locator('.note.error').textContent()).toMatch(/schedule/i);
    const lists = (await request(t.app).get('/api/suppression-lists').set(t.auth('viewer'))).body.items;
    await s.page.goto(`${s.base}/#/lists/${lists[0].id}`);
    await s.page.click('details.sync summary');
    await s.page.waitForSelector('details.sync >> text=Not synced to any workspace.');
    await s.page.click('details.sync button:has-text("Dry run")');
    await s.page.waitForSelector('details.sync .note.error');
    expect(await s.page.textContent('details.sync .note.error')).toMatch(/target/i);
  });

  it('when an admin changes a role, then it is saved; when they sign out, then the sign-in form is back and the API refuses the session', async () => {
    await s.page.goto(`${s.base}/#/users`);
    await s.page.selectOption('select[aria-label="Role of viewer"]', 'analyst');
    await s.page.waitForSelector('text=viewer is now analyst');
    const users = await request(t.app).get('/api/users').set(t.auth('admin'));
    expect(users.body.items.find((u: { username: string }) => u.username === 'viewer').role).toBe('analyst');
    await s.page.click('#signout');
    await s.page.waitForSelector('#signin:not([hidden])');
    expect(await s.page.evaluate(async () => (await fetch('/api/session/me')).status)).toBe(401);
    // Expected refusals the pages show (no session, no schedule, no target) are logged by the browser; scripts erred never.
    expect(s.errors.filter((e) => !/status of (401|404|409)/.test(e))).toEqual([]);
  });
});
