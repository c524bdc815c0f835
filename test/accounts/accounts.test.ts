import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { seed } from '../../src/seed.js';
import { SESSION_COOKIE, CSRF_COOKIE } from '../../src/accounts/authenticate.js';
import { hashSecret } from '../../src/accounts/secrets.js';

function cookiesOf(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  return Array.isArray(raw) ? raw : raw ? [raw] : [];
}

describe('accounts: first start, sessions, CSRF, login rate limit, API tokens', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  async function login(username: string, password: string) {
    const res = await request(t.app).post('/api/session').send({ username, password });
    const cookie = cookiesOf(res).map((c) => c.split(';')[0]).join('; ');
    return { res, cookie, csrf: res.body.csrfToken as string };
  }

  it('when the database is empty at first start, then an admin exists with a random password that is returned once', async () => {
    expect(t.adminPassword).toMatch(/^[\w-]{20,}$/);
    const again = await seed(t.services);
    expect(again.adminPassword).toBeNull();
    const row = await t.services.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    expect(row.role).toBe('admin');
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.passwordHash).not.toContain(t.adminPassword!);
  });

  it('when the admin signs in, then the session cookie is HttpOnly and SameSite=Strict and reads work with it', async () => {
    const { res, cookie } = await login('admin', t.adminPassword!);
    expect(res.status).toBe(201);
    const session = cookiesOf(res).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(cookiesOf(res).find((c) => c.startsWith(`${CSRF_COOKIE}=`))).not.toMatch(/HttpOnly/);
    const users = await request(t.app).get('/api/users').set('Cookie', cookie);
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { username: string }) => u.username)).toContain('admin');
  });

  it('when a cookie-authenticated change lacks the CSRF token, then it is a 403 and nothing changes; with it, it works', async () => {
    const { cookie, csrf } = await login('admin', t.adminPassword!);
    const before = await snapshotDatabase(t.services);
    const denied = await request(t.app).post('/api/users').set('Cookie', cookie).send({ username: 'csrfvictim', role: 'admin' });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toMatch(/CSRF/);
    const wrong = await request(t.app).post('/api/users').set('Cookie', cookie).set('X-CSRF-Token', 'csrf_guess').send({ username: 'csrfvictim', role: 'admin' });
    expect(wrong.status).toBe(403);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    const ok = await request(t.app).post('/api/users').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ username: 'csrfok', role: 'viewer' });
    expect(ok.status).toBe(201);
  });

  it('when a user signs out, then the session no longer authenticates', async () => {
    const { cookie, csrf } = await login('admin', t.adminPassword!);
    expect((await request(t.app).delete('/api/session').set('Cookie', cookie).set('X-CSRF-Token', csrf)).status).toBe(204);
    const after = await request(t.app).get('/api/users').set('Cookie', cookie);
    expect(after.status).toBe(401);
  });

  it('when the password is wrong, then it is a 401 that names neither which part was wrong and changes nothing but the failure count', async () => {
    await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'wendy', role: 'viewer', password: 'correct horse battery' });
    const { LoginFailure: failuresBefore, ...before } = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/session').send({ username: 'wendy', password: 'wrong horse battery' });
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('wrong username or password');
    const { LoginFailure: failures, ...after } = await snapshotDatabase(t.services);
    expect(after).toEqual(before);
    expect(failures!.length - failuresBefore!.length).toBe(1);
    expect(failures).toContainEqual(expect.objectContaining({ key: expect.stringMatching(/^wendy\|/) }));
  });

  it('when five logins fail, then the sixth is refused with 429 and Retry-After even with the right password', async () => {
    await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'rita', role: 'viewer', password: 'a long enough password' });
    for (let i = 0; i < 5; i++) {
      expect((await request(t.app).post('/api/session').send({ username: 'rita', password: `nope-${i}-xxxxxx` })).status).toBe(401);
    }
    const locked = await request(t.app).post('/api/session').send({ username: 'rita', password: 'a long enough password' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when a token is created, then its secret is shown once, stored only as a hash, and never listed again', async () => {
    const user = await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'tok', role: 'analyst' });
    const created = await request(t.app).post(`/api/users/${user.body.id}/tokens`).set(t.auth('admin')).send({ name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^quell_/);
    const row = await t.services.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.tokenHash).toBe(hashSecret(created.body.token));
    const listed = await request(t.app).get(`/api/users/${user.body.id}/tokens`).set(t.auth('admin'));
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].token).toBeUndefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await request(t.app).get('/api/hunts').set('Authorization', `Bearer ${created.body.token}`)).status).toBe(200);
  });

  it('when a token is revoked, then it gets 401 at once and the revocation is audited', async () => {
    const user = await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'rev', role: 'viewer' });
    const tok = await request(t.app).post(`/api/users/${user.body.id}/tokens`).set(t.auth('admin')).send({ name: 'x' });
    const auth = { Authorization: `Bearer ${tok.body.token}` };
    expect((await request(t.app).get('/api/hunts').set(auth)).status).toBe(200);
    expect((await request(t.app).delete(`/api/tokens/${tok.body.id}`).set(t.auth('admin'))).status).toBe(200);
    const denied = await request(t.app).get('/api/hunts').set(auth);
    expect(denied.status).toBe(401);
    expect(denied.body.detail).toMatch(/revoked/);
    const audit = await request(t.app).get('/api/audit').query({ entityType: 'token', entityId: tok.body.id }).set(t.auth('admin'));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['token.revoke', 'token.create']);
  });

  it('when a token has expired, then it gets 401 and nothing changes', async () => {
    const user = await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'exp', role: 'admin' });
    const tok = await request(t.app).post(`/api/users/${user.body.id}/tokens`).set(t.auth('admin'))
      .send({ name: 'short', expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await t.services.db.prisma.apiToken.update({ where: { id: tok.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/users').set('Authorization', `Bearer ${tok.body.token}`).send({ username: 'late', role: 'admin' });
    expect(res.status).toBe(401);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a username is taken, then creating it again is a 409 and nothing changes', async () => {
    await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'dup', role: 'viewer' });
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'dup', role: 'admin' });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when a user body is invalid, then the 400 names each failing field by JSON pointer', async () => {
    const res = await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'bad name!', role: 'root', extra: 1 });
    expect(res.status).toBe(400);
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/username', '/role', '/extra']));
  });
});
