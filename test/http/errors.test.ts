import { readdirSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import express from 'express';
import request from 'supertest';
import { createTestApp, snapshotDatabase, type TestApp } from '../support/test-app.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { createLogger } from '../../src/logger.js';

describe('errors, limits, headers, health and the API description', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ seed: false }); });
  afterAll(async () => { await t.close(); });

  it('when a route does not exist, then it is a problem+json 404', async () => {
    for (const url of ['/api/nope', '/nope.html']) {
      const res = await request(t.app).get(url).set(t.auth('viewer'));
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, title: 'Not Found', errors: [] });
      expect(typeof res.body.type).toBe('string');
      expect(typeof res.body.detail).toBe('string');
    }
  });

  it('when a body is larger than the limit, then it is a 413 and nothing changes', async () => {
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/users').set(t.auth('admin')).set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'big', role: 'viewer', pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when JSON is malformed, then it is a 400 problem that changes nothing', async () => {
    const before = await snapshotDatabase(t.services);
    const res = await request(t.app).post('/api/users').set(t.auth('admin')).set('Content-Type', 'application/json').send('{"username": ');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/not valid JSON/);
    expect(await snapshotDatabase(t.services)).toEqual(before);
  });

  it('when an unexpected error happens, then the response hides its message, stack and SQL', async () => {
    const app = express();
    app.get('/boom', () => { throw new Error('SQLITE_ERROR near "SELECT * FROM User" at /work/main/src/x.ts:1'); });
    app.use(errorHandler(createLogger('silent')));
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|SELECT|\/work\/|\.ts|at /);
  });

  it('when any page is served, then helmet headers carry a CSP that allows no inline script', async () => {
    const res = await request(t.app).get('/api/health');
    const csp = res.headers['content-security-policy'] as string;
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1]!;
    expect(scriptSrc.trim()).toBe("'self'");
    expect(csp).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('when health is asked without credentials, then it reports status, db and version', async () => {
    const res = await request(t.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('when the OpenAPI document is fetched, then it describes every route with its role and request schema', async () => {
    const res = await request(t.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const createUser = res.body.paths['/api/users'].post;
    expect(createUser['x-quell-role']).toBe('admin');
    expect(createUser.requestBody.content['application/json'].schema.required).toEqual(['username', 'role']);
    expect(res.body.paths['/api/hunts/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
  });

  it('when the UI is loaded, then Quell serves the page and every module itself, with no inline script and nothing from the internet', async () => {
    const page = await request(t.app).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<script type="module" src="\/quell.js"><\/script>/);
    expect(page.text).not.toMatch(/<script>(?!<)/);
    const modules = ['/quell.js', '/quell.css', ...readdirSync('public/ui').map((f) => `/ui/${f}`)];
    expect(modules.length).toBeGreaterThan(5);
    for (const m of modules) {
      const res = await request(t.app).get(m);
      expect(res.status, m).toBe(200);
      // The SVG namespace is a name, not an address anything is fetched from.
      expect(res.text.replaceAll('http://www.w3.org/2000/svg', ''), m).not.toMatch(/https?:\/\//);
      for (const imp of res.text.matchAll(/from '(\.[^']+)'/g)) {
        const target = new URL(imp[1]!, `http://x${m}`).pathname;
        expect(modules, `${m} imports ${target}`).toContain(target);
      }
    }
  });
});
