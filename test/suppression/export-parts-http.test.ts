import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { NETCONN } from '../support/rows.js';
import { analyseKql } from '../../src/kusto/analyser.js';
import { MAX_ARM_TEMPLATE_BYTES, MAX_RAW_CONTENT_BYTES } from '../../src/suppression/export/index.js';

// Lists over Sentinel's 3.8 MB exported as numbered watchlists (issue #14). Entries of ~9 KB are inserted straight into
// SQLite (the API would take 2,000-character reasons at most), so ~415 of them fill a part.
describe('numbered watchlists over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  async function newList(alias: string) {
    const res = await request(t.app).post('/api/suppression-lists').set(t.auth('admin')).send({ alias, displayName: 'Big list', hunts: [NETCONN] });
    expect(res.status).toBe(201);
    return res.body as { id: string; alias: string };
  }

  /** `n` active entries keyed `<prefix><i>|host-<i>|rl.ammyy.com`, each row about 9.1 KB. */
  async function addEntries(listId: string, n: number, prefix: string) {
    const now = new Date().toISOString().replace('Z', '+00:00');
    const rows = Array.from({ length: n }, (_, i) => {
      const values = { DeviceId: `${prefix}${String(i).padStart(4, '0')}`, DeviceName: `host-${i}`, RemoteUrl: 'rl.ammyy.com' };
      return [`${listId}-${prefix}${i}`, listId, `${values.DeviceId}|${values.DeviceName}|${values.RemoteUrl}`, JSON.stringify(values),
        `known benign ${'x'.repeat(9_000)}`, 'active', 'test', now];
    });
    await t.services.db.sql.insertMany('SuppressionEntry', ['id', 'listId', 'searchKey', 'values', 'reason', 'status', 'addedBy', 'addedAt'], rows);
  }

  const exportOf = (id: string, query: Record<string, unknown>, role: 'viewer' | 'admin' = 'viewer') =>
    request(t.app).get(`/api/suppression-lists/${id}/export`).query(query).set(t.auth(role));
  const keysOf = (csv: string) => (parse(csv, { columns: true }) as { SearchKey: string }[]).map((r) => r.SearchKey);

  let two: { id: string; alias: string };
  beforeAll(async () => {
    two = await newList('quell-big-two');
    await addEntries(two.id, 430, 'd');
  });

  it('when a list over 3.8 MB is asked for without part, then csv and watchlist-json are a 422 saying how many parts and how to ask for each', async () => {
    for (const format of ['csv', 'watchlist-json']) {
      const res = await exportOf(two.id, { format });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({ code: 'watchlist-parts', parts: 2, aliases: ['quell-big-two', 'quell-big-two_2'], limit: MAX_RAW_CONTENT_BYTES });
      expect(res.body.bytes).toBeGreaterThan(MAX_RAW_CONTENT_BYTES);
      expect(res.body.detail).toContain(`${res.body.bytes} bytes`);
      expect(res.body.detail).toContain('part=1 to part=2');
      expect(res.body.detail).toContain(`/api/suppression-lists/${two.id}/export/parts`);
    }
  });

  it('when each part is asked for, then it is a watchlist within 3.8 MB, its headers name it, and together the parts hold every entry once', async () => {
    const keys: string[] = [];
    for (const part of [1, 2]) {
      const res = await exportOf(two.id, { format: 'csv', part });
      expect(res.status).toBe(200);
      expect(res.headers).toMatchObject({ 'quell-watchlist-part': String(part), 'quell-watchlist-parts': '2',
        'quell-watchlist-alias': part === 1 ? 'quell-big-two' : 'quell-big-two_2' });
      expect(res.headers['content-disposition']).toContain(part === 1 ? 'quell-big-two.csv' : 'quell-big-two_2.csv');
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_RAW_CONTENT_BYTES);
      expect(res.text.startsWith('SearchKey,DeviceId,DeviceName,RemoteUrl,')).toBe(true);
      keys.push(...keysOf(res.text));
    }
    expect(keys).toHaveLength(430);
    expect(new Set(keys).size).toBe(430);
    expect(keys).toEqual([...keys].sort()); // SearchKey order runs on from part 1 into part 2
    const audit = await request(t.app).get('/api/audit').query({ entityId: two.id, action: 'list.export' }).set(t.auth('admin'));
    const parts = audit.body.items.map((e: { after: { format: string; part?: number; parts?: number } }) => e.after)
      .filter((a: { format: string; part?: number }) => a.format === 'csv' && a.part);
    expect(parts.map((a: { part: number }) => a.part).sort()).toEqual([1, 2]);
    expect(parts.every((a: { parts: number }) => a.parts === 2)).toBe(true);
  });

  it('when the list changes between two part requests, then the parts\' Quell-Watchlist-Set differs, so a client knows to fetch again', async () => {
    const manifest = (await request(t.app).get(`/api/suppression-lists/${two.id}/export/parts`).set(t.auth('viewer'))).body;
    const first = await exportOf(two.id, { format: 'csv', part: 1 });
    const second = await exportOf(two.id, { format: 'csv', part: 2 });
    expect(first.headers['quell-watchlist-set']).toBe(manifest.set);
    expect(second.headers['quell-watchlist-set']).toBe(manifest.set);
    // An entry that sorts first shifts the cut: the last entry of part 1 moves into part 2.
    await addEntries(two.id, 1, 'a');
    const moved = await exportOf(two.id, { format: 'csv', part: 2 });
    expect(moved.headers['quell-watchlist-set']).not.toBe(manifest.set);
    expect(keysOf(moved.text)[0]).toBe(keysOf(first.text).at(-1));
    await t.services.db.sql.run('DELETE FROM "SuppressionEntry" WHERE "listId" = ? AND "searchKey" LIKE ?', [two.id, 'a%']);
    expect((await exportOf(two.id, { format: 'csv', part: 2 })).headers['quell-watchlist-set']).toBe(manifest.set);
  });

  it('when the same list is exported twice, then each part is the same bytes', async () => {
    for (const part of [1, 2]) {
      const a = await exportOf(two.id, { format: 'csv', part });
      const b = await exportOf(two.id, { format: 'csv', part });
      expect(b.text).toBe(a.text);
    }
  });

  it('when a part is asked for as watchlist-json, then it is the PUT body of that part: its display name and its CSV as rawContent', async () => {
    const csv = await exportOf(two.id, { format: 'csv', part: 2 });
    const json = await exportOf(two.id, { format: 'watchlist-json', part: 2 });
    expect(json.status).toBe(200);
    expect(json.headers['quell-watchlist-alias']).toBe('quell-big-two_2');
    expect(JSON.parse(json.text).properties).toMatchObject({ displayName: 'Big list part 2 of 2', itemsSearchKey: 'SearchKey', rawContent: csv.text });
  });

  it('when the parts manifest is asked for, then it lists each part\'s alias, name, entries, bytes and links, as the parts themselves are', async () => {
    const res = await request(t.app).get(`/api/suppression-lists/${two.id}/export/parts`).set(t.auth('viewer'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ listId: two.id, alias: 'quell-big-two', entryCount: 430, limitBytes: MAX_RAW_CONTENT_BYTES, notes: [] });
    expect(res.body.parts.map((p: { alias: string }) => p.alias)).toEqual(['quell-big-two', 'quell-big-two_2']);
    for (const p of res.body.parts) {
      const file = await request(t.app).get(p.csv).set(t.auth('viewer'));
      expect(Buffer.byteLength(file.text)).toBe(p.bytes);
      expect(keysOf(file.text)).toHaveLength(p.entryCount);
      expect(p.displayName).toBe(`Big list part ${p.part} of 2`);
    }
    expect(res.body.parts.reduce((n: number, p: { entryCount: number }) => n + p.entryCount, 0)).toBe(430);
  });

  it('when a part beyond the last is asked for, then it is a 404 naming how many parts there are; part=0, a non-number or part with kql are 400', async () => {
    const beyond = await exportOf(two.id, { format: 'csv', part: 3 });
    expect(beyond.status).toBe(404);
    expect(beyond.headers['content-type']).toMatch(/problem\+json/);
    expect(beyond.body).toMatchObject({ code: 'no-such-part', parts: 2 });
    expect(beyond.body.detail).toMatch(/2 watchlists; there is no part 3/);
    for (const query of [{ format: 'csv', part: 0 }, { format: 'csv', part: 'two' }, { format: 'kql', part: 1 }]) {
      const res = await exportOf(two.id, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.errors[0].pointer).toBe('/part');
    }
  });

  it('when a list just over 3.8 MB is asked for as arm without part, then one template deploys both parts within ARM\'s 4 MB', async () => {
    const res = await exportOf(two.id, { format: 'arm' });
    expect(res.status).toBe(200);
    expect(res.headers['quell-watchlist-parts']).toBe('2');
    expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_ARM_TEMPLATE_BYTES);
    const template = JSON.parse(res.text);
    expect(template.resources.map((r: { name: string }) => r.name)).toEqual([
      "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/quell-big-two')]",
      "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/quell-big-two_2')]",
    ]);
    const part2 = await exportOf(two.id, { format: 'csv', part: 2 });
    expect(template.resources[1].properties.rawContent).toBe(part2.text);
  });

  it('when a list needs three parts, then arm without part is a 422 naming the template\'s size, and arm with part deploys that part', async () => {
    const three = await newList('quell-big-three');
    await addEntries(three.id, 900, 'e');
    const whole = await exportOf(three.id, { format: 'arm' });
    expect(whole.status).toBe(422);
    expect(whole.body).toMatchObject({ code: 'watchlist-parts', parts: 3 });
    expect(whole.body.detail).toMatch(/One ARM template deploying all 3 would be (more than )?\d+ bytes, over ARM's 4000000/);
    const part3 = await exportOf(three.id, { format: 'arm', part: 3 });
    expect(part3.status).toBe(200);
    const resources = JSON.parse(part3.text).resources;
    expect(resources).toHaveLength(1);
    expect(resources[0].name).toContain('/Microsoft.SecurityInsights/quell-big-three_3');
    expect(resources[0].properties.displayName).toBe('Big list part 3 of 3');
  });

  it('when lists serving a hunt are in parts, then the tuned query excludes every part and adds no Kusto diagnostic', async () => {
    const tuned = await request(t.app).get(`/api/hunts/${NETCONN}/tuned-query`).set(t.auth('viewer'));
    expect(tuned.status).toBe(200);
    expect(tuned.body.addedDiagnostics).toEqual([]);
    expect(analyseKql(tuned.body.kql)).toEqual([]);
    expect(tuned.body.kql).toContain("(union _GetWatchlist('quell-big-two'), _GetWatchlist('quell-big-two_2') | project SearchKey)");
    expect(tuned.body.lists.find((l: { alias: string }) => l.alias === 'quell-big-two').partAliases).toEqual(['quell-big-two', 'quell-big-two_2']);
    // A list in one watchlist keeps its one-alias filter.
    const seedList = tuned.body.lists.find((l: { alias: string }) => l.alias.startsWith('quell-') && !l.alias.startsWith('quell-big'));
    expect(seedList.partAliases).toBeUndefined();
    expect(tuned.body.kql).toContain(`!in~ ((_GetWatchlist('${seedList.alias}') | project SearchKey))`);
    const kql = await exportOf(two.id, { format: 'kql' });
    expect(kql.text).toContain("_GetWatchlist('quell-big-two_2')");
  });

  it('when a list fits one watchlist, then part=1 is exactly the export without part, the headers say 1 of 1, and part=2 is a 404', async () => {
    const small = await newList('quell-small');
    await request(t.app).post(`/api/suppression-lists/${small.id}/entries`).set(t.auth('admin'))
      .send({ values: { DeviceId: 'd1', DeviceName: 'h1', RemoteUrl: 'rl.ammyy.com' }, reason: 'helpdesk' });
    for (const format of ['csv', 'watchlist-json', 'arm']) {
      const plain = await exportOf(small.id, { format });
      const first = await exportOf(small.id, { format, part: 1 });
      expect(plain.status).toBe(200);
      expect(first.text).toBe(plain.text);
      expect(plain.headers).toMatchObject({ 'quell-watchlist-part': '1', 'quell-watchlist-parts': '1', 'quell-watchlist-alias': 'quell-small' });
    }
    expect(JSON.parse((await exportOf(small.id, { format: 'watchlist-json' })).text).properties.displayName).toBe('Big list');
    expect((await exportOf(small.id, { format: 'csv', part: 2 })).status).toBe(404);
    const manifest = await request(t.app).get(`/api/suppression-lists/${small.id}/export/parts`).set(t.auth('viewer'));
    expect(manifest.body.parts).toMatchObject([{ part: 1, alias: 'quell-small', displayName: 'Big list', entryCount: 1 }]);
  });

  it('when a part\'s alias is another list\'s alias, then exporting the split list is a 409 naming the watchlist, not a shared watchlist', async () => {
    const clash = await newList('quell-clash');
    await addEntries(clash.id, 430, 'f');
    await newList('quell-clash_2');
    for (const path of [`/api/suppression-lists/${clash.id}/export?format=csv&part=1`, `/api/suppression-lists/${clash.id}/export/parts`]) {
      const res = await request(t.app).get(path).set(t.auth('viewer'));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'part-alias-taken', alias: 'quell-clash_2' });
    }
  });

  it('when an unknown list is asked for its parts, then it is a 404', async () => {
    expect((await request(t.app).get('/api/suppression-lists/no-such-list/export/parts').set(t.auth('viewer'))).status).toBe(404);
  });
});
