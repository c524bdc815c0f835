import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { openDatabase } from '../../src/db/database.js';
import { createServices } from '../../src/services.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import { createTestApp, snapshotDatabase } from '../support/test-app.js';
import { storageMark, storedBytesSince } from '../support/test-database.js';
import { connectionBody, fakeCredentials, sentinelOverrides, TEST_SECRET_KEY, TEST_SECRET_KEY_B64 } from '../support/sentinel.js';

const FAKE = { url: 'https://127.0.0.1:9' };
const SECRET = 'Zq8~not-a-real-secret.but-long-enough_42';


describe('connection secrets at rest', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('when a connection is stored, then no file of the database holds its secret, in clear or as UTF-16', async () => {
    const t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides() });
    const mark = await storageMark(t.services.db.sql);
    const res = await request(t.app).post('/api/connections').set(t.auth('admin')).send(connectionBody(FAKE));
    expect(res.status).toBe(201);
    const bytes = await storedBytesSince(t.services.db.sql, t.dir, mark);
    expect(bytes.includes(Buffer.from('soc-workspace'))).toBe(true); // the check reads the right files
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false);
    expect(bytes.includes(Buffer.from(SECRET.slice(0, 12)))).toBe(false);
    const row = (await t.services.db.sql.get<{ secretCipher: string }>('SELECT "secretCipher" FROM "Connection"'))!;
    expect(row.secretCipher).toMatch(/^v1\./);
    await t.close();
  });

  it('when QUELL_SECRET_KEY is not set, then adding a connection is a 409 saying to set it, and nothing is written', async () => {
    const t = await createTestApp({ env: { QUELL_SECRET_KEY: '' }, services: sentinelOverrides() });
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/connections').set(t.auth('admin')).send(connectionBody(FAKE));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'secret-key-missing' });
    expect(res.body.detail).toMatch(/QUELL_SECRET_KEY is not set.*openssl rand -base64 32/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
    await t.close();
  });

  it('when Quell restarts with another key, then the connection still lists, and using it fails clearly naming the key', async () => {
    const t = await createTestApp({ env: { QUELL_SECRET_KEY: TEST_SECRET_KEY }, services: sentinelOverrides() });
    const id = (await request(t.app).post('/api/connections').set(t.auth('admin')).send(connectionBody(FAKE))).body.id;
    const db = await openDatabase(t.databaseUrl);
    try {
      const restarted = createServices(db, pino({ level: 'silent' }), { secretKey: TEST_SECRET_KEY_B64 }, sentinelOverrides());
      expect(await restarted.connections.get(id)).toMatchObject({ name: 'soc-prod', secret: 'set' });
      await expect(restarted.connections.resolver.resolve(id)).rejects.toMatchObject({
        status: 409, extra: { code: 'secret-key-mismatch' },
        message: expect.stringMatching(/connection soc-prod cannot be used: the secret was encrypted under another QUELL_SECRET_KEY/),
      });
      const same = createServices(db, pino({ level: 'silent' }), { secretKey: TEST_SECRET_KEY }, sentinelOverrides());
      await expect(same.connections.resolver.resolve(id)).resolves.toMatchObject({ id });
    } finally {
      await db.close();
      await t.close();
    }
  });

  it('when connections are saved and used at log level trace, then no log line holds the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quell-logs-'));
    dirs.push(dir);
    let logged = '';
    const sink = new Writable({ write(chunk, _e, cb) { logged += chunk.toString(); cb(); } });
    const logger = pino({ level: 'trace' }, sink);
    const config = { ...loadConfig({}), databaseUrl: `file:${join(dir, 'quell.db')}`, secretKey: TEST_SECRET_KEY };
    const db = await openDatabase(config.databaseUrl);
    const services = createServices(db, logger, config, sentinelOverrides(fakeCredentials()));
    const user = await services.accounts.createUser(SYSTEM_ACTOR, { username: 'root', role: 'admin' });
    const { token } = await services.accounts.createToken(SYSTEM_ACTOR, user.id, { name: 't' });
    const app = createApp(services, config, logger);
    const auth = { Authorization: `Bearer ${token}` };
    const created = await request(app).post('/api/connections').set(auth).send(connectionBody(FAKE));
    await request(app).put(`/api/connections/${created.body.id}`).set(auth).send({ clientSecret: `${SECRET}-2` });
    await request(app).post('/api/connections').set(auth).send(connectionBody(FAKE, { name: 'broken', endpoints: { arm: 'http://x' } }));
    await services.connections.resolver.resolve(created.body.id);
    await db.close();
    expect(logged).toMatch(/"url":"\/api\/connections"/);
    expect(logged).not.toContain(SECRET);
  });
});
