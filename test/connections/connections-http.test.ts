import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { connectionBody, fakeCredentials, sentinelOverrides, syncList, TEST_SECRET_KEY } from '../support/sentinel.js';

const FAKE = { url: 'https://127.0.0.1:9' };
const PEM = readFileSync(new URL('../fixtures/tls/app-registration.pem', import.meta.url), 'utf8');
const SECRET = 'Zq8~not-a-real-secret.but-long-enough_42';
const PRIVATE_KEY_LINE = PEM.split('\n')[1]!;

describe('connections: admin CRUD, and the secret never comes back', () => {
  let t: TestApp;
  const credentials = fakeCredentials();
  const seen: string[] = [];
  const admin = () => t.auth('admin');
  const track = <T extends { text: string }>(res: T) => { seen.push(res.text); return res; };

  beforeAll(async () => { t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides(credentials) }); });
  afterAll(async () => { await t.close(); });

  it('when an admin adds a connection with a secret, then it is answered and listed with secret "set" and the endpoints normalised', async () => {
    const res = track(await request(t.app).post('/api/connections').set(admin())
      .send(connectionBody(FAKE, { endpoints: { arm: 'https://management.usgovcloudapi.net/', authorityHost: 'https://login.microsoftonline.us' } })));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'soc-prod', auth: 'secret', secret: 'set', certificateThumbprint: null, createdBy: 'admin2',
      endpoints: { arm: 'https://management.usgovcloudapi.net', authorityHost: 'https://login.microsoftonline.us' } });
    const list = track(await request(t.app).get('/api/connections').set(admin()));
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    const one = track(await request(t.app).get(`/api/connections/${res.body.id}`).set(admin()));
    expect(one.body).toEqual(res.body);
  });

  it('when the resolver is asked for the connection, then the credential is built from the decrypted secret and the authority override', async () => {
    const id = (await request(t.app).get('/api/connections').set(admin())).body.items[0].id;
    const r = await t.services.connections.resolver.resolve(id);
    expect(r).toMatchObject({ id, name: 'soc-prod', workspaceName: 'soc-workspace', endpoints: { arm: 'https://management.usgovcloudapi.net' } });
    expect(credentials.built.at(-1)).toMatchObject({ auth: { kind: 'secret', clientSecret: SECRET }, authorityHost: 'https://login.microsoftonline.us' });
    expect(await t.services.connections.resolver.resolve(id)).toBe(r);
  });

  it('when a connection is added with a certificate, then it shows the thumbprint, and the PEM is never returned', async () => {
    const res = track(await request(t.app).post('/api/connections').set(admin())
      .send(connectionBody(FAKE, { name: 'soc-cert', clientSecret: undefined, certificate: PEM })));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ auth: 'certificate', secret: 'set', certificateThumbprint: '2C563492C4396DEE014FEC1BCA092DA02571D598' });
    await t.services.connections.resolver.resolve(res.body.id);
    expect(credentials.built.at(-1)!.auth).toEqual({ kind: 'certificate', certificatePem: PEM });
  });

  const refused: [string, Record<string, unknown>, number, RegExp][] = [
    ['both a secret and a certificate', { name: 'x1', certificate: PEM }, 400, /either clientSecret or certificate/],
    ['neither a secret nor a certificate', { name: 'x2', clientSecret: undefined }, 400, /needs a clientSecret or a certificate/],
    ['a plain-http ARM endpoint', { name: 'x3', endpoints: { arm: 'http://127.0.0.1:9' } }, 400, /https/],
    ['a client id that is not a GUID', { name: 'x4', clientId: 'my-app' }, 400, /clientId/],
    ['a name that is taken', {}, 409, /already exists/],
  ];
  for (const [name, over, status, why] of refused) {
    it(`when a connection is added with ${name}, then it is a ${status} and nothing is stored`, async () => {
      const before = (await request(t.app).get('/api/connections').set(admin())).body.items.length;
      const res = track(await request(t.app).post('/api/connections').set(admin()).send(connectionBody(FAKE, over)));
      expect(res.status).toBe(status);
      expect(`${res.body.detail} ${JSON.stringify(res.body.errors)}`).toMatch(why);
      expect((await request(t.app).get('/api/connections').set(admin())).body.items.length).toBe(before);
    });
  }

  it('when a connection is renamed without a secret, then the stored secret is kept; with a new one, the new one is used', async () => {
    const id = (await request(t.app).get('/api/connections').set(admin())).body.items.find((c: { name: string }) => c.name === 'soc-prod').id;
    const renamed = track(await request(t.app).put(`/api/connections/${id}`).set(admin()).send({ name: 'soc-primary' }));
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'soc-primary', secret: 'set', updatedBy: 'admin2' });
    await t.services.connections.resolver.resolve(id);
    expect(credentials.built.at(-1)!.auth).toEqual({ kind: 'secret', clientSecret: SECRET });
    track(await request(t.app).put(`/api/connections/${id}`).set(admin()).send({ clientSecret: 'rotated-Secret-0002' }));
    await t.services.connections.resolver.resolve(id);
    expect(credentials.built.at(-1)!.auth).toEqual({ kind: 'secret', clientSecret: 'rotated-Secret-0002' });
  });

  it('when a connection is a list\'s sync target, then deleting it is a 409 naming the list; once untargeted it is deleted', async () => {
    const id = (await request(t.app).get('/api/connections').set(admin())).body.items.find((c: { name: string }) => c.name === 'soc-cert').id;
    const listId = await syncList(t, 'conn-delete-test');
    await request(t.app).put(`/api/suppression-lists/${listId}/targets`).set(admin()).send({ connectionIds: [id] });
    const refusedDelete = track(await request(t.app).delete(`/api/connections/${id}`).set(admin()));
    expect(refusedDelete.status).toBe(409);
    expect(refusedDelete.body.detail).toMatch(/conn-delete-test/);
    await request(t.app).put(`/api/suppression-lists/${listId}/targets`).set(admin()).send({ connectionIds: [] });
    const deleted = track(await request(t.app).delete(`/api/connections/${id}`).set(admin()));
    expect(deleted.status).toBe(200);
    expect((await request(t.app).get(`/api/connections/${id}`).set(admin())).status).toBe(404);
    await expect(t.services.connections.resolver.resolve(id)).rejects.toMatchObject({ status: 404 });
  });

  it('when every answer and the audit trail are read back, then none holds the secret, the rotated secret or the private key', async () => {
    const audit = track(await request(t.app).get('/api/audit?entityType=connection').set(admin()));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['connection.create', 'connection.update', 'connection.delete']));
    expect(audit.body.items.every((e: { after: { secret?: string } | null; before: { secret?: string } | null }) =>
      (e.after ?? e.before)!.secret === 'set')).toBe(true);
    for (const text of seen) {
      for (const secret of [SECRET, 'rotated-Secret-0002', PRIVATE_KEY_LINE, 'PRIVATE KEY']) expect(text).not.toContain(secret);
    }
    expect(seen.length).toBeGreaterThan(12);
  });
});
