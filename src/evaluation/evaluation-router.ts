import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import { BacktestBody } from '../rules/schemas.js';
import type { BacktestService } from './backtest-service.js';
import { BacktestResult } from './schemas.js';

export function evaluationRouter(backtests: BacktestService): Router {
  const r = Router();
  defineRoute(r, { method: 'post', path: '/rules/backtest', access: 'analyst', tag: 'rules', body: BacktestBody, response: BacktestResult,
    summary: 'Dry run of a draft rule (the body POST /rules takes) over stored hits: what it would newly suppress or release; nothing is written' },
  async ({ body }) => ({ body: await backtests.run(body) }));
  return r;
}
