import { Router } from 'express';
import { defineRoute } from '../http/route.js';
import type { SuggestionsService } from './suggestions-service.js';
import { AcceptBody, Accepted, DismissBody, Dismissed, SuggestionsPage, SuggestionsQuery } from './schemas.js';

export function suggestionsRouter(suggestions: SuggestionsService): Router {
  const r = Router();
  const tag = 'suggestions';
  defineRoute(r, { method: 'get', path: '/suggestions', access: 'viewer', tag, query: SuggestionsQuery, response: SuggestionsPage,
    summary: 'Exclusions mined from the hunt\'s verdicts: benign hits they explain, hits without a verdict they would hide, and never a malicious one' },
  async ({ query }) => ({ body: await suggestions.suggest(query.huntId, { minSupport: query.minSupport }) }));

  defineRoute(r, { method: 'post', path: '/suggestions/:id/accept', access: 'admin', tag, body: AcceptBody, response: Accepted,
    summary: 'Turn a suggestion into a suppress rule through the normal path (validation, malicious-verdict rail, re-evaluation, audit), or add its keys to the list' },
  async ({ actor, params, body }) => ({ status: 201, body: await suggestions.accept(actor, params.id!, body) }));

  defineRoute(r, { method: 'post', path: '/suggestions/:id/dismiss', access: 'analyst', tag, body: DismissBody, response: Dismissed,
    summary: 'Dismiss a suggestion for the hunt; it is not suggested again' },
  async ({ actor, params, body }) => ({ body: await suggestions.dismiss(actor, params.id!, body.huntId) }));
  return r;
}
