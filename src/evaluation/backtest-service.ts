import type { Db } from '../db/database.js';
import { badRequest } from '../http/errors.js';
import type { RulesService } from '../rules/rules-service.js';
import type { BacktestBody } from '../rules/schemas.js';
import { backtest } from './backtest.js';
import type { ContextLoader } from './evaluation-context.js';

export function createBacktestService(db: Db, contexts: ContextLoader, rules: Pick<RulesService, 'validated' | 'get'>) {
  /** A draft in the shape POST /rules takes: checked as saving would check it, then run over the stored hits. */
  async function run(body: BacktestBody) {
    const { scope } = body;
    if (!scope) {
      throw badRequest('say which hunts the draft is for: add "scope": { "allHunts": true } or { "hunts": ["<hunt id>", …] }',
        [{ pointer: '/scope', message: 'is required: { "allHunts": true } or { "hunts": [ids] }' }]);
    }
    const { compiled } = await rules.validated({ expression: body.expression, scope, expiresAt: body.expiresAt });
    if (body.ruleId) await rules.get(body.ruleId);
    return backtest(db, contexts, {
      ruleId: body.ruleId, compiled, action: body.action ?? 'suppress',
      huntIds: 'allHunts' in scope ? null : scope.hunts, limit: body.limit ?? 50,
    });
  }
  return { run };
}

export type BacktestService = ReturnType<typeof createBacktestService>;
