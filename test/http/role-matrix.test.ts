import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ROUTES, type Access } from '../../src/http/route.js';
import type { Role } from '../../src/core/actor.js';

// The contract (SPEC §9): every route and the least role that may call it. A route added without
// a row here, or a row whose route is gone or has another role, fails the first test.
export const EXPECTED_ACCESS: Record<string, Access> = {
  'GET /health': 'none',
  'GET /openapi.json': 'none',
  'POST /session': 'none',
  'DELETE /session': 'any',
  'GET /session/me': 'any',
  'GET /users': 'admin',
  'POST /users': 'admin',
  'PUT /users/:id': 'admin',
  'GET /users/:id/tokens': 'admin',
  'POST /users/:id/tokens': 'admin',
  'DELETE /tokens/:id': 'admin',
  'GET /audit': 'admin',
  'GET /hunts': 'viewer',
  'POST /hunts': 'admin',
  'GET /hunts/:id': 'viewer',
  'GET /hunts/:id/versions': 'viewer',
  'POST /hunts/:id/hits': 'analyst',
  'GET /hits': 'viewer',
  'GET /hits/:id': 'viewer',
  'GET /rules': 'viewer',
  'POST /rules': 'admin',
  'POST /rules/validate': 'viewer',
  'POST /rules/backtest': 'analyst',
  'GET /rules/:id': 'viewer',
  'PUT /rules/:id': 'admin',
  'DELETE /rules/:id': 'admin',
  'GET /rules/:id/versions': 'viewer',
  'GET /scenarios': 'viewer',
  'PUT /directory/groups': 'admin',
  'POST /hits/:id/verdicts': 'analyst',
  'POST /verdicts/bulk': 'analyst',
  'GET /suppression-lists': 'viewer',
  'POST /suppression-lists': 'admin',
  'GET /suppression-lists/:id': 'viewer',
  'GET /suppression-lists/:id/entries': 'viewer',
  'POST /suppression-lists/:id/entries': 'analyst',
  'POST /suppression-lists/:id/entries/approve': 'admin',
  'POST /suppression-lists/:id/entries/:entryId/approve': 'admin',
  'DELETE /suppression-lists/:id/entries/:entryId': 'admin',
  'GET /suppression-lists/:id/export': 'viewer',
  'GET /suppression-lists/:id/export/parts': 'viewer',
  'GET /hunts/:id/tuned-query': 'viewer',
  'GET /connections': 'admin',
  'POST /connections': 'admin',
  'GET /connections/:id': 'admin',
  'PUT /connections/:id': 'admin',
  'DELETE /connections/:id': 'admin',
  'GET /suppression-lists/:id/targets': 'admin',
  'PUT /suppression-lists/:id/targets': 'admin',
  'POST /suppression-lists/:id/sync': 'admin',
  'GET /suppression-lists/:id/syncs': 'viewer',
  'GET /saved-filters': 'viewer',
  'POST /saved-filters': 'viewer',
  'DELETE /saved-filters/:id': 'viewer',
  'GET /overview': 'viewer',
  'GET /hunts/:id/schedule': 'viewer',
  'PUT /hunts/:id/schedule': 'admin',
  'DELETE /hunts/:id/schedule': 'admin',
  'POST /hunts/:id/runs': 'admin',
  'GET /hunts/:id/runs': 'viewer',
  'GET /suggestions': 'viewer',
  'POST /suggestions/:id/accept': 'admin',
  'POST /suggestions/:id/dismiss': 'analyst',
};

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

describe('role matrix: every route × anonymous, viewer, analyst, admin', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ seed: false }); });
  afterAll(async () => { await t.close(); });

  it('when the routes are listed, then each one has exactly the role SPEC §9 gives it', () => {
    const actual = Object.fromEntries(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.access]));
    expect(actual).toEqual(EXPECTED_ACCESS);
  });

  const callers: (Role | 'anonymous')[] = ['anonymous', 'viewer', 'analyst', 'admin'];
  for (const [route, access] of Object.entries(EXPECTED_ACCESS)) {
    for (const who of callers) {
      const allowed = access === 'none' || (who !== 'anonymous' && (access === 'any' || RANK[who] >= RANK[access as Role]));
      it(`when ${who} calls ${route}, then it is ${allowed ? 'allowed' : who === 'anonymous' ? '401' : '403'}`, async () => {
        const [method, path] = route.split(' ') as [string, string];
        const url = `/api${path.replace(/:\w+/g, 'no-such-id')}`;
        let req = request(t.app)[method.toLowerCase() as 'get'](url);
        if (who !== 'anonymous') req = req.set(t.auth(who));
        // A body that is invalid on purpose: allowed callers get a 4xx about the body, never a change.
        if (method === 'POST' || method === 'PUT') req = req.set('Content-Type', 'application/json').send('{}');
        const res = await req;
        if (allowed) {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(res.status).toBe(who === 'anonymous' ? 401 : 403);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      });
    }
  }
});
