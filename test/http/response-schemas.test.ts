import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import express, { Router } from 'express';
import { Type } from '@sinclair/typebox';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { defineRoute, ROUTES } from '../../src/http/route.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { badRequest } from '../../src/http/errors.js';
import { createLogger } from '../../src/logger.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';

describe('one schema per payload: every response is declared, documented and checked', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('when the suite runs, then the response check is on (so every HTTP test checks what it receives)', () => {
    expect(process.env.QUELL_CHECK_RESPONSES).toBe('1');
  });

  it('when the OpenAPI document is built, then every route documents its success body and the problem schema', async () => {
    const doc = (await request(t.app).get('/api/openapi.json')).body;
    expect(ROUTES.length).toBeGreaterThanOrEqual(39);
    for (const r of ROUTES) {
      const op = doc.paths[`/api${r.path.replace(/:(\w+)/g, '{$1}')}`][r.method];
      const success = op.responses['2XX'].content;
      expect(success, `${r.method} ${r.path}`).toBeTruthy();
      expect(Object.values(success as Record<string, { schema: unknown }>)[0]!.schema, `${r.method} ${r.path}`).toBeTruthy();
      const problem = op.responses.default.content['application/problem+json'].schema;
      expect(Object.keys(problem.properties.errors.items.properties)).toEqual(['pointer', 'message', 'code', 'offset', 'length', 'line', 'column']);
    }
  });

  function miniApp(answer: unknown) {
    const r = Router();
    defineRoute(r, { method: 'get', path: '/probe', access: 'none', tag: 'test', summary: 'probe',
      response: Type.Object({ count: Type.Integer(), items: Type.Array(Type.String()) }) }, () => ({ body: answer }));
    defineRoute(r, { method: 'get', path: '/probe-problem', access: 'none', tag: 'test', summary: 'probe',
      response: Type.Null() }, () => { throw badRequest('bad', [{ pointer: '/x', message: 'wrong' }]); });
    const app = express();
    app.use((_req, res, next) => { res.locals.actor = SYSTEM_ACTOR; next(); });
    app.use(r);
    app.use(errorHandler(createLogger('silent')));
    return app;
  }

  it('when a handler answers inside its schema, then the answer goes out unchanged', async () => {
    const res = await request(miniApp({ count: 1, items: ['a'], extra: true })).get('/probe');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 1, items: ['a'], extra: true });
  });

  it('when a handler answers outside its schema, then the test-mode check makes it a 500 that names the route and the path at fault', async () => {
    const res = await request(miniApp({ count: 'one', items: [1] })).get('/probe');
    expect(res.status).toBe(500);
    expect(res.body.detail).toMatch(/GET \/probe answered outside its response schema: .*\/count must be integer.*\/items\/0 must be string/);
  });

  it('when a route fails with a problem, then the problem matches the problem schema and passes through', async () => {
    const res = await request(miniApp(null)).get('/probe-problem');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, errors: [{ pointer: '/x', message: 'wrong' }] });
  });
});
