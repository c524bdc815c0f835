import express, { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../http/route.js';
import { badRequest } from '../http/errors.js';
import type { RulesService } from './rules-service.js';
import { BacktestBody, DeleteRuleQuery, RuleBody, RuleListQuery, ValidateBody } from './schemas.js';
import type { ContextLoader } from '../hits/evaluation-context.js';
import type { Db } from '../db/database.js';
import { backtest } from './backtest.js';
import { compileRule } from './language.js';
import type { HuntsService } from '../hunts/hunts-service.js';
import type { DirectoryService } from '../directory/directory-service.js';
import { parseMembershipsCsv } from '../directory/directory-service.js';
import type { Reevaluator } from '../hits/reevaluate.js';

export function rulesRouter(deps: { db: Db; rules: RulesService; contexts: ContextLoader; hunts: HuntsService;
  directory: DirectoryService; reevaluator: Reevaluator }): Router {
  const { rules } = deps;
  const r = Router();
  const tag = 'rules';
  const etag = (v: number) => ({ ETag: `"${v}"` });

  defineRoute(r, { method: 'get', path: '/rules', access: 'viewer', tag, query: RuleListQuery, summary: 'Exclusion rules' },
    async ({ query }) => ({ body: { items: await rules.list(query), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/rules', access: 'admin', tag, body: RuleBody,
    summary: 'Create a rule; hits in its scope are re-evaluated. Refused (409) if it matches malicious-verdict hits unless force + justification' },
  async ({ actor, body }) => {
    const rule = await rules.create(actor, body);
    return { status: 201, body: rule, headers: etag(rule.version) };
  });

  // Declared before /rules/:id so "validate" and "backtest" are not read as ids.
  defineRoute(r, { method: 'post', path: '/rules/validate', access: 'viewer', tag, body: ValidateBody,
    summary: 'Check an expression: errors with positions, fields used, lint warnings, compiled KQL per table' },
  ({ body }) => ({ body: rules.validate(body.expression, body.scope) }));

  defineRoute(r, { method: 'post', path: '/rules/backtest', access: 'analyst', tag, body: BacktestBody,
    summary: 'Dry run of a draft rule over stored hits: what it would newly suppress or release; nothing is written' },
  async ({ body }) => {
    rules.validated({ expression: body.expression, scope: body.scope });
    if (body.ruleId) await rules.get(body.ruleId);
    const result = backtest(deps.db, deps.contexts, {
      ruleId: body.ruleId, compiled: compileRule(body.expression)!, action: body.action,
      huntIds: 'allHunts' in body.scope ? null : body.scope.hunts, limit: body.limit ?? 50,
    });
    return { body: result };
  });

  defineRoute(r, { method: 'get', path: '/rules/:id', access: 'viewer', tag, summary: 'One rule; its ETag is its version' },
    async ({ params }) => {
      const rule = await rules.get(params.id!);
      return { body: rule, headers: etag(rule.version) };
    });

  defineRoute(r, { method: 'put', path: '/rules/:id', access: 'admin', tag, body: RuleBody,
    summary: 'Update a rule (If-Match: the version you edited; 409 when stale); makes a new version' },
  async ({ actor, params, body, header }) => {
    const rule = await rules.update(actor, params.id!, header('if-match'), body);
    return { body: rule, headers: etag(rule.version) };
  });

  defineRoute(r, { method: 'delete', path: '/rules/:id', access: 'admin', tag, query: DeleteRuleQuery,
    summary: 'Retire a rule: it stops applying, its history stays readable' },
  async ({ actor, params, header, query }) => ({ body: await rules.retire(actor, params.id!, header('if-match'), query.justification) }));

  defineRoute(r, { method: 'get', path: '/rules/:id/versions', access: 'viewer', tag, summary: "A rule's versions, newest first" },
    async ({ params }) => ({ body: { items: await rules.versions(params.id!), nextCursor: null } }));

  defineRoute(r, { method: 'get', path: '/scenarios', access: 'viewer', tag, summary: 'Documented exclusion scenarios with their rules' },
    async () => {
      const all = await deps.hunts.listScenarios();
      const items = await Promise.all(all.map(async (s) => ({
        id: s.id, huntId: s.huntId, position: s.position, title: s.title, description: s.description, filterText: s.filterText,
        source: s.source, ruleId: s.ruleId, rule: s.ruleId ? await rules.get(s.ruleId).catch(() => null) : null,
      })));
      return { body: { items, nextCursor: null } };
    });

  const csv = express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '20mb' });
  defineRoute(r, { method: 'put', path: '/directory/groups', access: 'admin', tag: 'directory', parsers: [csv], bodyMediaTypes: ['text/csv'],
    summary: 'Replace the group directory with a user,group CSV (user as DOMAIN\\name); affected hits are re-evaluated',
    response: Type.Object({ users: Type.Integer(), memberships: Type.Integer(), affectedUsers: Type.Integer(), reevaluated: Type.Integer() }) },
  async ({ actor, rawBody }) => {
    if (typeof rawBody !== 'string') throw badRequest('send the directory as text/csv with a header row user,group');
    const result = await deps.directory.replace(actor, parseMembershipsCsv(rawBody));
    const re = await deps.reevaluator.reevaluate({ userNames: result.affectedUsers });
    return { body: { users: result.users, memberships: result.memberships, affectedUsers: result.affectedUsers.length, reevaluated: re.changed } };
  });
  return r;
}
