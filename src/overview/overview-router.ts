import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { OverviewService } from './overview-service.js';
import { Overview, OverviewQuery } from './schemas.js';

export function overviewRouter(overview: OverviewService): Router {
  const r = Router();
  defineRoute(r, { method: 'get', path: '/overview', access: 'viewer', tag: 'overview', query: OverviewQuery, response: Overview,
    summary: 'Hits by day and status, top suppressing rules, open-queue age, verdicts by analyst, list entries expiring soon' },
  async ({ query }) => ({ body: await overview.overview(query.days) }));
  return r;
}
