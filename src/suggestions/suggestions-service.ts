import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAudit, recordAuditSql } from '../audit/audit-store.js';
import { notFound } from '../http/errors.js';
import { fieldReader } from '../evaluation/hit-fields.js';
import { findHitsByIds, hitStatesOfHunt } from '../hits/hits-store.js';
import { findHuntCore } from '../hunts/hunts-store.js';
import { compileRule } from '../rules/language.js';
import { activeRules } from '../rules/rules-store.js';
import type { RulesService } from '../rules/rules-service.js';
import { mine, type MinedHit } from './mine.js';
import { dismissedExpressions, insertDismissal } from './suggestions-store.js';
import type { AcceptBody } from './schemas.js';

const LIFETIME_DAYS = 90;
type Hit = MinedHit & { raw: Readonly<Record<string, unknown>>; suppressed: boolean };

/**
 * Suggested exclusions for a hunt, mined from its verdicts (SPEC §5 rules, Julisch-style root causes): what most benign
 * verdicts share and no malicious verdict has. Each is checked again with the language itself before it is shown, so
 * what an admin accepts is exactly what was counted. A second pass mines the hits without a verdict, as candidates.
 */
export function createSuggestionsService(db: Db, rules: Pick<RulesService, 'create'>) {
  // Deriving fields of every hit is most of the work; a hit's fields change only when it is written (its updatedAt
  // changes), so they are kept between calls, per hunt, for the hunt last asked about.
  let cache: { huntId: string; byId: Map<string, { at: string; fields: Readonly<Record<string, unknown>>; raw: Readonly<Record<string, unknown>> }> } | null = null;

  function load(huntId: string) {
    const benign: Hit[] = [], malicious: Hit[] = [], unlabelled: Hit[] = [];
    if (cache?.huntId !== huntId) cache = { huntId, byId: new Map() };
    const known = cache.byId;
    const states = hitStatesOfHunt(db.sqlite, huntId);
    const stale = states.filter((h) => known.get(h.id)?.at !== h.updatedAt).map((h) => h.id);
    const fields = fieldReader(db.sqlite);
    for (let i = 0; i < stale.length; i += 5_000) {
      for (const h of findHitsByIds(db.sqlite, stale.slice(i, i + 5_000))) {
        const v = fields(h);
        known.set(h.id, { at: h.updatedAt, fields: v.fields, raw: v.raw });
      }
    }
    if (known.size > states.length) { const live = new Set(states.map((h) => h.id)); for (const id of known.keys()) if (!live.has(id)) known.delete(id); }
    for (const h of states) {
      const c = known.get(h.id);
      if (!c) continue;
      (h.verdict === 'benign' ? benign : h.verdict === 'malicious' ? malicious : unlabelled)
        .push({ id: h.id, fields: c.fields, raw: c.raw, suppressed: h.status === 'suppressed' });
    }
    return { benign, malicious, unlabelled };
  }

  function suggest(huntId: string, opts: { minSupport?: number } = {}) {
    const t0 = performance.now();
    if (!findHuntCore(db.sqlite, huntId)) throw notFound(`hunt ${huntId}`);
    const { benign, malicious, unlabelled } = load(huntId);
    const minSupport = opts.minSupport ?? Math.max(5, Math.ceil(benign.length * 0.01));
    // What is already dismissed or already a rule is not suggested; mining looks at the benign hits still in the queue.
    const dismissed = new Set([...dismissedExpressions(db.sqlite, huntId),
      ...activeRules(db.sqlite, new Date()).filter((r) => !r.hunts || r.hunts.includes(huntId)).map((r) => r.expression)]);
    const fromVerdicts = mine(benign.filter((h) => !h.suppressed), malicious, { minSupport, limit: 10 });
    const explained = (h: Hit) => fromVerdicts.some((s) => s.atoms.every((a) => a.test(h.fields)));
    // Candidates from hits without a verdict: mined on an even sample of at most 5,000 of them, support scaled to it.
    const rest = unlabelled.filter((h) => !h.suppressed && !explained(h));
    const step = Math.max(1, Math.ceil(rest.length / 5_000));
    const sampled = step === 1 ? rest : rest.filter((_, i) => i % step === 0);
    const fromUnlabelled = mine(sampled, malicious, { minSupport: Math.max(minSupport, 20, Math.ceil(sampled.length * 0.02)), limit: 5 });
    const expiresAt = new Date(Date.now() + LIFETIME_DAYS * 86_400_000).toISOString();
    const items = [...fromVerdicts.map((s) => ({ s, source: 'benign-verdicts' as const })), ...fromUnlabelled.map((s) => ({ s, source: 'unlabelled' as const }))]
      .filter(({ s }) => !dismissed.has(s.expression))
      .flatMap(({ s, source }) => {
        const rule = compileRule(s.expression);
        if (!rule) return [];
        const count = (hits: readonly Hit[]) => hits.reduce((n, h) => n + (rule.holds(h) ? 1 : 0), 0);
        const maliciousCovered = count(malicious);
        if (maliciousCovered) return []; // never shown: the mining and the language disagree, and the language decides
        const benignCovered = count(benign), unlabelledCovered = count(unlabelled);
        const reason = source === 'benign-verdicts'
          ? `${benignCovered} benign verdict${benignCovered === 1 ? '' : 's'} on ${s.reason}`
          : `${s.covered} hits without a verdict on ${s.reason}; no verdict backs this yet, so review them before accepting`;
        return [{ id: idOf(huntId, s.expression), source, expression: s.expression, benign: { count: benignCovered, share: benign.length ? benignCovered / benign.length : 0 },
          unlabelled: unlabelledCovered, malicious: 0, examples: s.examples, scope: { hunts: [huntId] }, expiresAt, reason }];
      });
    return { huntId, verdicts: { benign: benign.length, malicious: malicious.length }, unlabelled: unlabelled.length, minSupport,
      computedMs: Math.round(performance.now() - t0), items, nextCursor: null };
  }

  function find(huntId: string, id: string) {
    const s = suggest(huntId).items.find((x) => x.id === id);
    if (!s) throw notFound(`suggestion ${id} for hunt ${huntId} (suggestions change as verdicts do: reload them)`);
    return s;
  }

  /** Accepting goes the normal way: validation, the malicious-verdict rail, re-evaluation and audit of rules.create. */
  async function accept(actor: Actor, id: string, body: AcceptBody) {
    const s = find(body.huntId, id);
    const rule = await rules.create(actor, {
      name: body.name ?? `Suggested: ${s.reason}`.slice(0, 200), expression: s.expression, scope: s.scope, action: 'suppress', enabled: true,
      expiresAt: body.expiresAt === undefined ? s.expiresAt : body.expiresAt, force: body.force,
      description: `Mined from verdicts: ${s.reason}. Benign covered ${s.benign.count}, without a verdict ${s.unlabelled}, malicious 0.`,
      justification: [`Accepted suggestion ${s.id}: ${s.reason}`, body.justification].filter(Boolean).join(' — '),
    });
    await db.write((tx) => recordAudit(tx, { actor, action: 'suggestion.accept', entityType: 'suggestion', entityId: s.id, after: { ...s, ruleId: rule.id } }));
    return { suggestion: s, rule };
  }

  async function dismiss(actor: Actor, id: string, huntId: string) {
    const s = find(huntId, id);
    await db.bulk((sqlite) => {
      insertDismissal(sqlite, { huntId, expression: s.expression, by: actor.name, at: new Date() });
      recordAuditSql(sqlite, { actor, action: 'suggestion.dismiss', entityType: 'suggestion', entityId: s.id, after: s });
    });
    return { suggestion: s, dismissed: true as const };
  }

  return { suggest, accept, dismiss };
}

const idOf = (huntId: string, expression: string) => createHash('sha256').update(`${huntId}\n${expression}`).digest('hex').slice(0, 20);

export type SuggestionsService = ReturnType<typeof createSuggestionsService>;
