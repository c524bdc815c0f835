import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN, netconnRow } from '../support/rows.js';
import { openBrowser, type BrowserSession } from './browser.js';

describe('web UI in a real browser', () => {
  let t: TestApp;
  let s: BrowserSession;
  let page: Page;
  let base: string;
  let errors: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst'))
      .send([netconnRow({ DeviceName: 'ui-open-host' }), netconnRow({ DeviceName: 'ui-lan-host', RemoteIP: '10.9.9.9' })]);
    s = await openBrowser(t);
    ({ page, base, errors } = s);
  });
  afterAll(async () => { await s?.close(); await t?.close(); });

  it('when the admin signs in, then the open queue lists the open hit and not the suppressed one', async () => {
    await page.goto(base);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', t.adminPassword!);
    await page.click('#login button');
    await page.waitForSelector('text=ui-open-host');
    expect(await page.textContent('#view')).not.toContain('ui-lan-host');
    expect(await page.textContent('#who')).toContain('admin');
  });

  it('when a hit is opened and a benign verdict recorded, then it leaves the queue (the CSRF header rides along)', async () => {
    await page.click('text=ui-open-host');
    await page.waitForSelector('text=Record verdict');
    await page.fill('input[name=comment]', 'helpdesk ticket 4411');
    await page.click('button:has-text("Record verdict")');
    await page.waitForSelector('text=helpdesk ticket 4411');
    const hits = await request(t.app).get('/api/hits').query({ device: 'ui-open-host' }).set(t.auth('viewer'));
    expect(hits.body.items[0].verdict.verdict).toBe('benign');
  });

  it('when an admin types a broken expression in the rule editor, then the error shows under it with a caret', async () => {
    await page.goto(`${base}/#/rules/new`);
    await page.waitForSelector('textarea[name=expression]');
    await page.fill('textarea[name=expression]', 'proces.name == "x"');
    await page.waitForSelector('text=did you mean');
    expect(await page.textContent('.caret')).toBe('^^^^^^^^^^^');
    await page.fill('textarea[name=expression]', 'destination.ip in ("10.0.0.0/8")');
    await page.waitForSelector('text=valid · fields');
    await page.fill('textarea[name=expression]', 'destination.port == 443');
    await page.click('text=all hunts');
    await page.click('button:has-text("Backtest")');
    await page.waitForSelector('text=Would suppress: 1');
    expect(await page.textContent('#view')).not.toContain('[object');
  });

  it('when the hunts page is shown, then both seed hunts appear and no script error happened anywhere', async () => {
    await page.goto(`${base}/#/hunts`);
    await page.waitForSelector('text=Ammyy - File Signature');
    // The page asks who is signed in before the sign-in form: that one 401 is expected.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
