import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('audit trail', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('when a user is created, then the audit names who, when, what, and the after state — never a secret', async () => {
    const res = await request(t.app).post('/api/users').set(t.auth('admin')).send({ username: 'aud1', role: 'viewer', password: 'a sufficiently long one' });
    const audit = await request(t.app).get('/api/audit').query({ entityType: 'user', entityId: res.body.id }).set(t.auth('admin'));
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    const e = audit.body.items[0];
    expect(e).toMatchObject({ actor: 'admin2', action: 'user.create', entityType: 'user', entityId: res.body.id, before: null });
    expect(e.after).toMatchObject({ username: 'aud1', role: 'viewer' });
    expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(e)).not.toMatch(/sufficiently|scrypt/);
  });

  it('when a hunt is re-imported with changes, then the audit holds its before and after', async () => {
    const doc = { id: 'b0000000-0000-4000-8000-000000000001', name: 'Audited', description: 'v1', query: 'DeviceNetworkEvents | take 1' };
    await request(t.app).post('/api/hunts').set(t.auth('admin')).send(doc);
    await request(t.app).post('/api/hunts').set(t.auth('admin')).send({ ...doc, description: 'v2' });
    const audit = await request(t.app).get('/api/audit').query({ entityId: doc.id, action: 'hunt.' }).set(t.auth('admin'));
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['hunt.update', 'hunt.create']);
    expect(audit.body.items[0].before.description).toBe('v1');
    expect(audit.body.items[0].after.description).toBe('v2');
  });

  it('when the audit has more events than a page, then the cursor walks every event exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app).get('/api/audit').query({ limit: 3, ...(cursor ? { cursor } : {}) }).set(t.auth('admin'));
      seen.push(...res.body.items.map((e: { id: number }) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const total = await t.services.db.prisma.auditEvent.count();
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('when a non-admin asks for the audit, then it is a 403', async () => {
    expect((await request(t.app).get('/api/audit').set(t.auth('analyst'))).status).toBe(403);
  });
});
