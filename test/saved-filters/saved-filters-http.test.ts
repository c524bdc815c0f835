import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { NETCONN } from '../support/rows.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';

describe('saved filters: per user, unique names, audited', () => {
  let t: TestApp;
  let other: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    // A second viewer, so isolation is between two users of the same role.
    const user = await t.services.accounts.createUser(SYSTEM_ACTOR, { username: 'viewer2', role: 'viewer' });
    other = { Authorization: `Bearer ${(await t.services.accounts.createToken(SYSTEM_ACTOR, user.id, { name: 't' })).token}` };
  });
  afterAll(async () => { await t.close(); });

  const save = (auth: Record<string, string>, body: object) => request(t.app).post('/api/saved-filters').set(auth).send(body);
  const mine = async (auth: Record<string, string>) => (await request(t.app).get('/api/saved-filters').set(auth)).body;

  it('when a viewer saves a filter, then it is returned with its query as given and listed for that viewer', async () => {
    const query = { huntId: NETCONN, queue: true, devicePrefix: 'ws-', since: '2026-11-01T00:00:00Z', sort: 'count', order: 'asc' };
    const res = await save(t.auth('viewer'), { name: 'My queue', query });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'My queue', query, createdAt: expect.any(String) });
    expect((await mine(t.auth('viewer'))).items).toContainEqual(res.body);
    const audit = await t.services.db.prisma.auditEvent.findFirst({ where: { action: 'saved-filter.create', entityId: res.body.id } });
    expect(audit).toMatchObject({ actorName: 'viewer' });
  });

  it('when the same user saves the same name again, then it is a 409 and nothing changes; another user may use the name', async () => {
    expect((await save(t.auth('viewer'), { name: 'Dup', query: {} })).status).toBe(201);
    const before = await snapshotDatabase(t.services);
    const again = await save(t.auth('viewer'), { name: 'Dup', query: { status: 'open' } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/Dup/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    expect((await save(other, { name: 'Dup', query: {} })).status).toBe(201);
  });

  it('when two users have saved filters, then each lists only their own and cannot delete the other\'s', async () => {
    const theirs = (await save(other, { name: 'Theirs', query: { verdict: 'none' } })).body;
    const ours = (await save(t.auth('viewer'), { name: 'Ours', query: { verdict: 'benign' } })).body;
    const a = (await mine(t.auth('viewer'))).items.map((f: { name: string }) => f.name);
    const b = (await mine(other)).items.map((f: { name: string }) => f.name);
    expect(a).toContain('Ours');
    expect(a).not.toContain('Theirs');
    expect(b).toContain('Theirs');
    expect(b).not.toContain('Ours');
    const before = await snapshotDatabase(t.services);
    const stolen = await request(t.app).delete(`/api/saved-filters/${theirs.id}`).set(t.auth('viewer'));
    expect(stolen.status).toBe(404);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    expect((await mine(t.auth('viewer'))).nextCursor).toBeNull();
    expect(ours.id).not.toBe(theirs.id);
  });

  it('when a user deletes their own filter, then the deleted filter is returned, it is gone, and the deletion is audited', async () => {
    const f = (await save(t.auth('viewer'), { name: 'Short-lived', query: { q: 'ammyy' } })).body;
    const res = await request(t.app).delete(`/api/saved-filters/${f.id}`).set(t.auth('viewer'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(f);
    expect((await mine(t.auth('viewer'))).items.map((x: { id: string }) => x.id)).not.toContain(f.id);
    expect((await request(t.app).delete(`/api/saved-filters/${f.id}`).set(t.auth('viewer'))).status).toBe(404);
    const audit = await t.services.db.prisma.auditEvent.findFirst({ where: { action: 'saved-filter.delete', entityId: f.id } });
    expect(JSON.parse(audit!.before!)).toMatchObject({ name: 'Short-lived' });
  });

  it('when the body is not a GET /hits filter (cursor, limit, unknown keys, bad values, bad name), then it is a 400 naming the field', async () => {
    const bad: [object, string][] = [
      [{ name: 'x', query: { cursor: 'abc' } }, '/query/cursor'], [{ name: 'x', query: { limit: 5 } }, '/query/limit'],
      [{ name: 'x', query: { sort: 'raw' } }, '/query/sort'], [{ name: 'x', query: { since: 'soon' } }, '/query/since'],
      [{ name: '', query: {} }, '/name'], [{ name: 'x'.repeat(101), query: {} }, '/name'], [{ name: 'x' }, '/query'],
    ];
    for (const [body, pointer] of bad) {
      const res = await save(t.auth('viewer'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer), JSON.stringify(body)).toContain(pointer);
    }
  });
});
