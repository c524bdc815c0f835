import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN, netconnRow } from '../support/rows.js';
import { openBrowser, screenshot, signIn, type BrowserSession } from './browser.js';

// The walk a SOC analyst and admin take, in one browser session, each step asserted against the API.
describe('triage in a real browser: keyboard queue, bulk by filter, rule edit, list approval, export', () => {
  let t: TestApp;
  let s: BrowserSession;
  const api = () => request(t.app);
  const hitsWhere = async (q: Record<string, string>) => (await api().get('/api/hits').query({ limit: 500, ...q }).set(t.auth('viewer'))).body;

  beforeAll(async () => {
    t = await createTestApp();
    const rows = [
      ...Array.from({ length: 25 }, (_, i) => netconnRow({ DeviceName: `triage-${String(i).padStart(2, '0')}`, Timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, 60 - i)).toISOString() })),
      ...Array.from({ length: 120 }, (_, i) => netconnRow({ DeviceName: `bulkme-${i}`, Timestamp: '2026-11-01T10:00:00Z' })),
    ];
    const res = await api().post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send(rows);
    expect(res.body).toMatchObject({ inserted: 145, open: 145 });
    s = await openBrowser(t);
  });
  afterAll(async () => { await s?.close(); await t?.close(); });

  it('when the admin signs in, then the queue shows the open hits with aligned columns and a total', async () => {
    await signIn(s, 'admin', t.adminPassword!);
    await s.page.waitForSelector('table.queue tbody tr');
    expect(await s.page.title()).toBe('Queue · Quell');
    const headers = await s.page.$$eval('table.queue thead th', (ths) => ths.map((th) => th.textContent?.trim()));
    expect(headers).toEqual(['', 'Status', 'Device', 'Process', 'Parent', 'User', 'Destination', 'First seen', 'Last seen ▼', 'Count', 'Rules', 'Verdict']);
    const firstRowCells = await s.page.$$eval('table.queue tbody tr:first-child td', (tds) => tds.length);
    expect(firstRowCells).toBe(headers.length);
    await s.page.waitForSelector('text=145 hits match');
    await screenshot(s.page, 'queue');
  });

  it('when 20 hits are triaged with the keyboard alone, then each gets its verdict and focus moves to the next without a reload', async () => {
    await s.page.goto(`${s.base}/#/queue?devicePrefix=triage-`);
    await s.page.waitForSelector('text=25 hits match');
    await s.page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    for (let i = 0; i < 20; i++) {
      const focused = await s.page.getAttribute('table.queue tr[aria-current]', 'data-id');
      expect(focused, `step ${i}`).toBeTruthy();
      await s.page.keyboard.press('b');
      await s.page.waitForSelector('dialog.verdict[open]');
      if (i === 0) await s.page.fill('dialog.verdict input[name=comment]', 'helpdesk session, ticket 4411');
      expect(await s.page.inputValue('dialog.verdict input[name=comment]')).toBe('helpdesk session, ticket 4411');
      await s.page.keyboard.press('Enter');
      await s.page.waitForSelector(`table.queue tr[data-id="${focused}"]`, { state: 'detached' });
      await s.page.waitForSelector('table.queue tr[aria-current]');
    }
    expect(await s.page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42); // no reload happened
    const judged = await hitsWhere({ devicePrefix: 'triage-', verdict: 'benign' });
    expect(judged.total).toBe(20);
    expect(judged.items.every((h: { verdict: { comment: string } }) => h.verdict.comment === 'helpdesk session, ticket 4411')).toBe(true);
    await s.page.waitForSelector('text=5 hits match');
  });

  it('when every hit of a filter is selected across pages, then one confirmed bulk verdict covers exactly the filter', async () => {
    await s.page.goto(`${s.base}/#/queue?devicePrefix=bulkme-`);
    await s.page.waitForSelector('text=120 hits match');
    await s.page.check('input.select-page');
    await s.page.click('text=Select all 120 matching this filter');
    await s.page.click('button:has-text("Benign… (b)")');
    await s.page.fill('dialog.verdict input[name=comment]', 'lab machines');
    await s.page.click('dialog.verdict button:has-text("Record verdict")');
    await s.page.waitForSelector('dialog.confirm[open] >> text=for 120 hits');
    await screenshot(s.page, 'bulk-confirm');
    await s.page.click('dialog.confirm button:has-text("Record for 120")');
    await s.page.waitForSelector('.bulk >> text=recorded 120 verdicts');
    expect((await hitsWhere({ devicePrefix: 'bulkme-', verdict: 'benign' })).total).toBe(120);
    expect((await hitsWhere({ devicePrefix: 'triage-', verdict: 'none' })).total).toBe(5);
  });

  it('when a rule is edited, then the backtest says what it would do and the history shows a side-by-side diff', async () => {
    const created = await api().post('/api/rules').set(t.auth('admin'))
      .send({ name: 'Helpdesk port', expression: 'destination.port == 5931', scope: { hunts: [NETCONN] }, action: 'suppress' });
    await s.page.goto(`${s.base}/#/rules/${created.body.id}`);
    await s.page.waitForSelector('textarea[name=expression]');
    await s.page.fill('textarea[name=expression]', 'destination.port == 443\nand host.name startswith "triage-"');
    await s.page.waitForSelector('text=valid · fields');
    await s.page.click('button:has-text("Backtest")');
    // The 20 judged benign hits match too: only a malicious verdict keeps a hit from being suppressed.
    await s.page.waitForSelector('text=Would suppress: 25');
    await s.page.click('button:has-text("Save (editing v1)")');
    await s.page.waitForSelector('text=Compare');
    const changed = await s.page.$$eval('.diff tr.changed th', (ths) => ths.map((th) => th.textContent));
    expect(changed).toEqual(['Expression •']);
    expect(await s.page.textContent('.line-diff')).toContain('+ and host.name startswith "triage-"');
    await screenshot(s.page, 'rule-diff');
    expect((await hitsWhere({ devicePrefix: 'triage-', verdict: 'none' })).items.map((h: { status: string }) => h.status)).toEqual(Array(5).fill('suppressed'));
  });

  it('when an admin approves a pending entry and exports the list, then it is active and in the downloaded watchlist', async () => {
    const list = await api().post('/api/suppression-lists').set(t.auth('admin'))
      .send({ alias: 'ui-approval', displayName: 'UI approval list', hunts: [NETCONN], requireApproval: true });
    const values = { DeviceId: 'dev-approve', DeviceName: 'approve-me', RemoteUrl: 'rl.ammyy.com' };
    const proposed = await api().post(`/api/suppression-lists/${list.body.id}/entries`).set(t.auth('analyst')).send({ values, reason: 'kiosk' });
    expect(proposed.body.status).toBe('pending');
    await s.page.goto(`${s.base}/#/lists/${list.body.id}`);
    await s.page.check(`tr[data-entry="${proposed.body.id}"] input[type=checkbox]`);
    await s.page.click('button:has-text("Approve selected")');
    await s.page.waitForSelector('text=approved 1 entry');
    const entries = await api().get(`/api/suppression-lists/${list.body.id}/entries`).set(t.auth('viewer'));
    expect(entries.body.items[0].status).toBe('active');
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('button:has-text("csv")')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('dev-approve|approve-me|rl.ammyy.com');
    await s.page.goto(`${s.base}/#/overview`);
    await s.page.waitForSelector('svg.chart');
    expect(await s.page.textContent('.overview')).toContain('Helpdesk port');
    await screenshot(s.page, 'overview');
    expect(s.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  it('when the queue is filtered to a hunt, then its suggested exclusions open beside it and one can be dismissed', async () => {
    await s.page.goto(`${s.base}/#/queue?huntId=${NETCONN}`);
    await s.page.click('details.suggestions summary');
    await s.page.waitForSelector('li.suggestion');
    const first = await s.page.textContent('li.suggestion code');
    expect(await s.page.textContent('details.suggestions')).toMatch(/None holds for a hit with a malicious verdict/);
    expect(await s.page.$$eval('li.suggestion >> nth=0 >> a[href^="#/hit/"]', (as) => as.length)).toBeGreaterThan(0);
    await s.page.click('li.suggestion >> nth=0 >> button:has-text("Dismiss")');
    await s.page.waitForSelector('text=dismissed: it will not be suggested again');
    const left = await s.page.$$eval('li.suggestion code', (cs) => cs.map((c) => c.textContent));
    expect(left).not.toContain(first);
  });
});
