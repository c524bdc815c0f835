import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { VerdictsService } from './verdicts-service.js';
import { BulkVerdictBody, BulkVerdictRecorded, VerdictBody, VerdictRecorded } from './schemas.js';

export function verdictsRouter(verdicts: VerdictsService): Router {
  const r = Router();
  const tag = 'verdicts';
  defineRoute(r, { method: 'post', path: '/hits/:id/verdicts', access: 'analyst', tag, body: VerdictBody, response: VerdictRecorded,
    summary: 'Record a verdict on a hit (hitVersion must be current: 409 otherwise); benign may add the key to a list, malicious revokes entries with its key' },
  async ({ actor, params, body }) => ({ status: 201, body: await verdicts.record(actor, params.id!, body) }));

  defineRoute(r, { method: 'post', path: '/verdicts/bulk', access: 'analyst', tag, body: BulkVerdictBody, response: BulkVerdictRecorded,
    summary: 'One verdict for many hits, by ids or by the filter GET /hits takes; all or nothing' },
  async ({ actor, body }) => ({ status: 201, body: await verdicts.recordBulk(actor, body) }));
  return r;
}
