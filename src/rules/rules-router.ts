import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { RulesService } from './rules-service.js';
import { DeleteRuleQuery, RuleBody, RuleChanged, RuleListQuery, RulePage, RuleView, ValidateBody, ValidationResult } from './schemas.js';

export function rulesRouter(rules: RulesService): Router {
  const r = Router();
  const tag = 'rules';
  const etag = (v: number) => ({ ETag: `"${v}"` });

  defineRoute(r, { method: 'get', path: '/rules', access: 'viewer', tag, query: RuleListQuery, response: RulePage, summary: 'Exclusion rules' },
    async ({ query }) => ({ body: { items: await rules.list(query), nextCursor: null } }));

  defineRoute(r, { method: 'post', path: '/rules', access: 'admin', tag, body: RuleBody, response: RuleChanged,
    summary: 'Create a rule; hits in its scope are re-evaluated. Refused (409) if it matches malicious-verdict hits unless force + justification' },
  async ({ actor, body }) => {
    const rule = await rules.create(actor, body);
    return { status: 201, body: rule, headers: etag(rule.version) };
  });

  // Declared before /rules/:id so "validate" is not read as an id (the backtest route is the evaluation router's).
  defineRoute(r, { method: 'post', path: '/rules/validate', access: 'viewer', tag, body: ValidateBody, response: ValidationResult,
    summary: 'Check an expression: errors with positions, fields used, lint warnings, compiled KQL per table' },
  async ({ body }) => ({ body: await rules.validate(body.expression, body.scope) }));

  defineRoute(r, { method: 'get', path: '/rules/:id', access: 'viewer', tag, response: RuleView, summary: 'One rule; its ETag is its version' },
    async ({ params }) => {
      const rule = await rules.get(params.id!);
      return { body: rule, headers: etag(rule.version) };
    });

  defineRoute(r, { method: 'put', path: '/rules/:id', access: 'admin', tag, body: RuleBody, response: RuleChanged,
    summary: 'Update a rule (If-Match: the version you edited; 409 when stale); makes a new version' },
  async ({ actor, params, body, header }) => {
    const rule = await rules.update(actor, params.id!, header('if-match'), body);
    return { body: rule, headers: etag(rule.version) };
  });

  defineRoute(r, { method: 'delete', path: '/rules/:id', access: 'admin', tag, query: DeleteRuleQuery, response: RuleChanged,
    summary: 'Retire a rule: it stops applying, its history stays readable' },
  async ({ actor, params, header, query }) => ({ body: await rules.retire(actor, params.id!, header('if-match'), query.justification) }));

  defineRoute(r, { method: 'get', path: '/rules/:id/versions', access: 'viewer', tag, response: RulePage, summary: "A rule's versions, newest first" },
    async ({ params }) => ({ body: { items: await rules.versions(params.id!), nextCursor: null } }));

  return r;
}
