import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { main } from '../../src/cli/main.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) { this.text += chunk.toString(); cb(); }
}

async function cli(databaseUrl: string, ...argv: string[]) {
  const out = new Capture(), err = new Capture();
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  try {
    const code = await main(argv, out, err);
    return { code, out: out.text, err: err.text };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL; else process.env.DATABASE_URL = previous;
  }
}

describe('CLI: quell user add / user list / token revoke', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ seed: false }); });
  afterAll(async () => { await t.close(); });

  it('when `quell user add NAME --role ROLE` runs, then stdout is the new token alone and it works against the API', async () => {
    const r = await cli(t.databaseUrl, 'user', 'add', 'bob', '--role', 'analyst');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^quell_[\w-]{43}\n$/);
    const res = await request(t.app).get('/api/hunts').set('Authorization', `Bearer ${r.out.trim()}`);
    expect(res.status).toBe(200);
    const forbidden = await request(t.app).get('/api/users').set('Authorization', `Bearer ${r.out.trim()}`);
    expect(forbidden.status).toBe(403);
  });

  it('when the role is not one Quell knows, then it exits 2 with nothing on stdout and no user is created', async () => {
    const r = await cli(t.databaseUrl, 'user', 'add', 'mallory', '--role', 'root');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(await t.services.db.prisma.user.findUnique({ where: { username: 'mallory' } })).toBeNull();
  });

  it('when the user already exists, then it exits 1 and says so', async () => {
    await cli(t.databaseUrl, 'user', 'add', 'carol', '--role', 'viewer');
    const r = await cli(t.databaseUrl, 'user', 'add', 'carol', '--role', 'viewer');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already exists/);
  });

  it('when users are listed and a token revoked, then the list shows them and the token stops working', async () => {
    const add = await cli(t.databaseUrl, 'user', 'add', 'dave', '--role', 'admin');
    const list = await cli(t.databaseUrl, 'user', 'list');
    expect(list.out).toMatch(/^dave\tadmin\t/m);
    const token = await t.services.db.prisma.apiToken.findFirstOrThrow({ where: { user: { username: 'dave' } } });
    const revoke = await cli(t.databaseUrl, 'token', 'revoke', token.id);
    expect(revoke.code).toBe(0);
    expect((await request(t.app).get('/api/hunts').set('Authorization', `Bearer ${add.out.trim()}`)).status).toBe(401);
  });
});
