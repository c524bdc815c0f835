import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';

type User = { id: string; username: string; role: string; disabled: boolean };

describe('PUT /users/:id: role changes, disabling, and the last enabled admin', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  const users = async (): Promise<User[]> => (await request(t.app).get('/api/users').set(t.auth('admin'))).body.items;
  const userNamed = async (name: string) => (await users()).find((u) => u.username === name)!;
  const put = (id: string, body: object) => request(t.app).put(`/api/users/${id}`).set(t.auth('admin')).send(body);

  it('when an admin changes a role, then the user view comes back, the role takes effect at once, and the change is audited', async () => {
    const created = (await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'promoted', role: 'viewer' })).body;
    const token = (await request(t.app).post(`/api/users/${created.id}/tokens`).set(t.auth('admin')).send({ name: 't' })).body.token;
    expect((await request(t.app).post('/api/rules/backtest').set('Authorization', `Bearer ${token}`).send({})).status).toBe(403);
    const res = await put(created.id, { role: 'analyst' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, username: 'promoted', role: 'analyst', disabled: false });
    expect((await request(t.app).post('/api/rules/backtest').set('Authorization', `Bearer ${token}`).send({})).status).not.toBe(403);
    const audit = await t.services.db.prisma.auditEvent.findFirst({ where: { action: 'user.update', entityId: created.id } });
    expect(JSON.parse(audit!.before!)).toMatchObject({ role: 'viewer' });
    expect(JSON.parse(audit!.after!)).toMatchObject({ role: 'analyst' });
    expect(audit!.actorName).toBe('admin2');
  });

  it('when a user is disabled, then their token stops working, and enabling them again restores it', async () => {
    const created = (await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'leaver', role: 'viewer' })).body;
    const token = (await request(t.app).post(`/api/users/${created.id}/tokens`).set(t.auth('admin')).send({ name: 't' })).body.token;
    const hunts = () => request(t.app).get('/api/hunts').set('Authorization', `Bearer ${token}`);
    expect((await hunts()).status).toBe(200);
    expect((await put(created.id, { disabled: true })).body.disabled).toBe(true);
    expect((await hunts()).status).toBe(401);
    expect((await put(created.id, { disabled: false })).body.disabled).toBe(false);
    expect((await hunts()).status).toBe(200);
  });

  it('when a change would leave no enabled admin, then it is a 409 saying so and nothing changes; while another admin exists it works', async () => {
    const first = await userNamed('admin');
    const second = await userNamed('admin2');
    // Two enabled admins: one of them may be disabled.
    expect((await put(first.id, { disabled: true })).status).toBe(200);
    const before = await snapshotDatabase(t.services);
    for (const change of [{ role: 'analyst' }, { disabled: true }, { role: 'viewer', disabled: true }]) {
      const res = await put(second.id, change);
      expect(res.status, JSON.stringify(change)).toBe(409);
      expect(res.body.detail).toMatch(/only enabled admin/);
    }
    expect(await snapshotDatabase(t.services)).toEqual(before);
    // A disabled admin does not count; once re-enabled, either admin may step down while the other remains.
    expect((await put(first.id, { disabled: false })).status).toBe(200);
    expect((await put(first.id, { role: 'analyst' })).body.role).toBe('analyst');
    expect((await userNamed('admin')).role).toBe('analyst');
    expect((await put(second.id, { role: 'viewer' })).status).toBe(409);
  });

  it('when the body is empty, unknown or the user does not exist, then it is a 400 or 404', async () => {
    const viewer = await userNamed('viewer');
    expect((await put(viewer.id, {})).status).toBe(400);
    expect((await put(viewer.id, { role: 'root' })).status).toBe(400);
    expect((await put(viewer.id, { username: 'x' })).status).toBe(400);
    expect((await put('no-such-user', { role: 'viewer' })).status).toBe(404);
  });
});
