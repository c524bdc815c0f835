import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN, FILESIG, netconnRow } from '../support/rows.js';

describe('exclusion rules over HTTP: seeds, history, re-evaluation, expiry, directory, rail, backtest', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const ingest = (rows: object[]) => request(t.app).post(`/api/hunts/${NETCONN}/hits`).set(t.auth('analyst')).send(rows);
  const hitOf = async (device: string) => (await request(t.app).get('/api/hits').query({ device }).set(t.auth('viewer'))).body.items[0];
  const rule = (over: Record<string, unknown> = {}) => ({ name: 'r', expression: 'destination.port == 5931', scope: { hunts: [NETCONN] },
    action: 'suppress', ...over });

  it('when the database is fresh, then each documented scenario has its rule on both seed hunts; the first is disabled with its warning', async () => {
    const res = await request(t.app).get('/api/scenarios').set(t.auth('viewer'));
    const rules = res.body.items.map((s: { rule: { enabled: boolean; warnings: { code: string }[]; scope: unknown; expression: string } }) => s.rule);
    expect(rules).toHaveLength(5);
    expect(rules.map((r: { enabled: boolean }) => r.enabled)).toEqual([false, true, true, true, true]);
    expect(rules[0].warnings.map((w: { code: string }) => w.code)).toContain('only-negations');
    for (const r of rules.slice(1)) expect(r.warnings.filter((w: { code: string }) => w.code === 'only-negations')).toEqual([]);
    for (const r of rules) expect(new Set(r.scope.hunts)).toEqual(new Set([NETCONN, FILESIG]));
    expect(rules[4].expression).toBe('process.name == "ammyy.exe" and process.parent.name == "msiexec.exe"');
  });

  it('when a hit goes to an RFC1918 address, then the seeded rule suppresses it and explains the clause', async () => {
    await ingest([netconnRow({ DeviceName: 'lan-host', RemoteIP: '10.4.2.9' })]);
    const hit = await hitOf('lan-host');
    expect(hit.status).toBe('suppressed');
    const full = (await request(t.app).get(`/api/hits/${hit.id}`).set(t.auth('viewer'))).body;
    expect(full.matches[0].explanation.join(' ')).toMatch(/10\.4\.2\.9.*10\.0\.0\.0\/8/);
    expect(full.raw.RemoteIP).toBe('10.4.2.9');
  });

  it('when a rule is created, changed, disabled, enabled and retired, then the hits in its scope follow each step', async () => {
    await ingest([netconnRow({ DeviceName: 'port-host', RemotePort: 5931 })]);
    expect((await hitOf('port-host')).status).toBe('open');
    const created = await request(t.app).post('/api/rules').set(t.auth('admin')).send(rule());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, createdBy: 'admin2', enabled: true });
    expect((await hitOf('port-host')).status).toBe('suppressed');

    const noIfMatch = await request(t.app).put(`/api/rules/${created.body.id}`).set(t.auth('admin')).send(rule({ action: 'flag' }));
    expect(noIfMatch.status).toBe(428);
    const flagged = await request(t.app).put(`/api/rules/${created.body.id}`).set(t.auth('admin')).set('If-Match', '1').send(rule({ action: 'flag' }));
    expect(flagged.body.version).toBe(2);
    expect((await hitOf('port-host')).status).toBe('flagged');

    const before = await snapshotDatabase(t.services);
    const stale = await request(t.app).put(`/api/rules/${created.body.id}`).set(t.auth('admin')).set('If-Match', '1').send(rule({ enabled: false }));
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(2);
    expect(await snapshotDatabase(t.services)).toEqual(before);

    await request(t.app).put(`/api/rules/${created.body.id}`).set(t.auth('admin')).set('If-Match', '2').send(rule({ enabled: false }));
    expect((await hitOf('port-host')).status).toBe('open');
    await request(t.app).put(`/api/rules/${created.body.id}`).set(t.auth('admin')).set('If-Match', '3').send(rule());
    expect((await hitOf('port-host')).status).toBe('suppressed');
    const retired = await request(t.app).delete(`/api/rules/${created.body.id}`).set(t.auth('admin'));
    expect(retired.body).toMatchObject({ retired: true, version: 5 });
    expect((await hitOf('port-host')).status).toBe('open');

    const versions = await request(t.app).get(`/api/rules/${created.body.id}/versions`).set(t.auth('viewer'));
    expect(versions.body.items.map((v: { version: number; action: string }) => [v.version, v.action]))
      .toEqual([[5, 'suppress'], [4, 'suppress'], [3, 'suppress'], [2, 'flag'], [1, 'suppress']]);
  });

  it('when a rule expires, then the sweep returns the hits it alone suppressed to the open queue', async () => {
    await ingest([netconnRow({ DeviceName: 'exp-host', RemotePort: 6001 })]);
    const r = await request(t.app).post('/api/rules').set(t.auth('admin'))
      .send(rule({ expression: 'destination.port == 6001', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }));
    expect((await hitOf('exp-host')).status).toBe('suppressed');
    const swept = await t.services.sweeper.sweep(new Date(Date.now() + 2 * 86_400_000));
    expect(swept.changed).toBeGreaterThanOrEqual(1);
    const hit = await hitOf('exp-host');
    expect(hit.status).toBe('open');
    expect(hit.matches.map((m: { ruleId: string }) => m.ruleId)).not.toContain(r.body.id);
  });

  it('when the group directory puts a user in Domain Admins, then the seeded scenario rule suppresses that user\'s hits', async () => {
    await ingest([netconnRow({ DeviceName: 'da-host', InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'Alice' })]);
    expect((await hitOf('da-host')).status).toBe('open');
    const up = await request(t.app).put('/api/directory/groups').set(t.auth('admin')).set('Content-Type', 'text/csv')
      .send('user,group\r\ncorp\\alice,Domain Admins\r\n');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ users: 1, memberships: 1, affectedUsers: 1 });
    const hit = await hitOf('da-host');
    expect(hit.status).toBe('suppressed');
    await request(t.app).put('/api/directory/groups').set(t.auth('admin')).set('Content-Type', 'text/csv').send('user,group\r\n');
    expect((await hitOf('da-host')).status).toBe('open');
  });

  it('when a suppress rule would match a hit with a malicious verdict, then saving is refused unless forced with a justification', async () => {
    await ingest([netconnRow({ DeviceName: 'evil-host', RemotePort: 7777 })]);
    const hit = await hitOf('evil-host');
    const v = await request(t.app).post(`/api/hits/${hit.id}/verdicts`).set(t.auth('analyst'))
      .send({ verdict: 'malicious', classification: 'TruePositive', classificationReason: 'SuspiciousActivity', comment: 'c2', hitVersion: hit.version });
    expect(v.status).toBe(201);
    const before = await snapshotDatabase(t.services);
    const refused = await request(t.app).post('/api/rules').set(t.auth('admin')).send(rule({ expression: 'destination.port == 7777' }));
    expect(refused.status).toBe(409);
    expect(refused.body.maliciousHits.map((h: { id: string }) => h.id)).toEqual([hit.id]);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    const noReason = await request(t.app).post('/api/rules').set(t.auth('admin')).send(rule({ expression: 'destination.port == 7777', force: true }));
    expect(noReason.status).toBe(409);
    const forced = await request(t.app).post('/api/rules').set(t.auth('admin'))
      .send(rule({ expression: 'destination.port == 7777', force: true, justification: 'port reused by the helpdesk tool' }));
    expect(forced.status).toBe(201);
    const after = await hitOf('evil-host');
    expect(after.status).toBe('open');
    expect(after.matches[0]).toMatchObject({ ruleId: forced.body.id, overridden: 'malicious-verdict' });
    const audit = await request(t.app).get('/api/audit').query({ entityId: forced.body.id }).set(t.auth('admin'));
    expect(audit.body.items[0].action).toBe('rule.create.forced');
  });

  it('when a draft rule is backtested, then it reports what saving it then does, and writes nothing', async () => {
    await ingest([netconnRow({ DeviceName: 'bt-1', RemotePort: 8081 }), netconnRow({ DeviceName: 'bt-2', RemotePort: 8081 })]);
    const draft = { expression: 'destination.port == 8081', scope: { hunts: [NETCONN] }, action: 'suppress' };
    const before = await snapshotDatabase(t.services);
    const bt = await request(t.app).post('/api/rules/backtest').set(t.auth('analyst')).send(draft);
    expect(bt.status).toBe(200);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    expect(bt.body.wouldSuppress.count).toBe(2);
    const saved = await request(t.app).post('/api/rules').set(t.auth('admin')).send({ name: 'bt', ...draft });
    expect(saved.body.reevaluation.changed).toBe(bt.body.wouldSuppress.count);
    const ids = bt.body.wouldSuppress.items.map((i: { id: string }) => i.id).sort();
    const now = await request(t.app).get('/api/hits').query({ ruleId: saved.body.id, status: 'suppressed' }).set(t.auth('viewer'));
    expect(now.body.items.map((h: { id: string }) => h.id).sort()).toEqual(ids);
  });

  it('when an expression is validated, then errors carry positions and a did-you-mean, and nothing is written', async () => {
    const res = await request(t.app).post('/api/rules/validate').set(t.auth('viewer')).send({ expression: 'proces.name == "x"' });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.errors[0]).toMatchObject({ offset: 0, length: 11 });
    expect(res.body.errors[0].message).toMatch(/process\.name/);
    const bad = await request(t.app).post('/api/rules').set(t.auth('admin')).send(rule({ expression: 'destination.ip in ("10.0.0.0/33")' }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ pointer: '/expression', offset: expect.any(Number), length: expect.any(Number) });
  });

  it('when a rule read with GET is sent back with PUT as it is, then it saves a new version; unknown fields are still refused', async () => {
    const created = await request(t.app).post('/api/rules').set(t.auth('admin')).send(rule({ name: 'round trip', expression: 'destination.port == 6001' }));
    const doc = (await request(t.app).get(`/api/rules/${created.body.id}`).set(t.auth('viewer'))).body;
    expect(doc).toMatchObject({ id: created.body.id, version: 1, warnings: [], createdBy: 'admin2' });
    const put = await request(t.app).put(`/api/rules/${doc.id}`).set(t.auth('admin')).set('If-Match', '1').send({ ...doc, name: 'round trip 2' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ id: doc.id, version: 2, name: 'round trip 2', createdBy: 'admin2', createdAt: doc.createdAt });
    const before = await snapshotDatabase(t.services);
    const unknown = await request(t.app).put(`/api/rules/${doc.id}`).set(t.auth('admin')).set('If-Match', '2').send({ ...doc, colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ pointer: '/colour', message: 'is not a known property' }]);
    const other = await request(t.app).put(`/api/rules/${doc.id}`).set(t.auth('admin')).set('If-Match', '2').send({ ...doc, id: 'another-rule' });
    expect(other.status).toBe(400);
    expect(other.body.detail).toMatch(/the body is rule another-rule but the URL names rule/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a backtest gets the draft in the shape POST /rules takes, then the rule-only fields are ignored', async () => {
    await ingest([netconnRow({ DeviceName: 'shape-1', RemotePort: 6002 })]);
    const bt = await request(t.app).post('/api/rules/backtest').set(t.auth('analyst'))
      .send(rule({ name: 'draft', description: 'what I would save', enabled: true, owner: 'alice', justification: 'ticket 1', expression: 'destination.port == 6002' }));
    expect(bt.status, JSON.stringify(bt.body)).toBe(200);
    expect(bt.body.wouldSuppress.count).toBe(1);
  });

  it('when a backtest has no scope, then the answer is one sentence saying what to add, and a 400', async () => {
    const res = await request(t.app).post('/api/rules/backtest').set(t.auth('analyst')).send({ expression: 'destination.port == 6003' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('say which hunts the draft is for: add "scope": { "allHunts": true } or { "hunts": ["<hunt id>", …] }');
    expect(res.body.errors).toEqual([{ pointer: '/scope', message: expect.stringMatching(/required/) }]);
  });

  it('when a rule has a scope or action of the wrong shape, then each error is one sentence, not one per union branch', async () => {
    const send = (over: Record<string, unknown>) => request(t.app).post('/api/rules').set(t.auth('admin')).send(rule(over));
    expect((await send({ scope: { hunts: [] } })).body.errors).toEqual([{ pointer: '/scope/hunts', message: 'must NOT have fewer than 1 items' }]);
    expect((await send({ scope: 'all' })).body.errors)
      .toEqual([{ pointer: '/scope', message: 'must be { "allHunts": true } or { "hunts": ["<hunt id>", …] }' }]);
    expect((await send({ scope: { allHunts: false } })).body.errors)
      .toEqual([{ pointer: '/scope', message: 'must be { "allHunts": true } or { "hunts": ["<hunt id>", …] }' }]);
    expect((await send({ action: 'hide' })).body.errors).toEqual([{ pointer: '/action', message: 'must be one of "suppress", "flag"' }]);
  });
});
