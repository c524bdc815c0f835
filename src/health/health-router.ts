import { Router } from 'express';
import { Type } from '@sinclair/typebox';
import type { Db } from '../db/database.js';
import { defineRoute } from '../http/route.js';

export function healthRouter(db: Db, version: string): Router {
  const r = Router();
  defineRoute(r, { method: 'get', path: '/health', access: 'none', tag: 'health', summary: 'Liveness and database reachability',
    response: Type.Object({ status: Type.String(), db: Type.String(), version: Type.String() }) },
  async () => {
    let dbStatus = 'ok';
    try { await db.sql.get('SELECT 1'); } catch { dbStatus = 'unreachable'; }
    return { status: dbStatus === 'ok' ? 200 : 503, body: { status: dbStatus === 'ok' ? 'ok' : 'degraded', db: dbStatus, version } };
  });
  return r;
}
