import type { Db } from '../db/database.js';
import { fromJson, toJson } from '../db/json.js';
import { isoTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { AppError, badRequest, conflict, notFound } from '../http/errors.js';
import type { Reevaluator, Affected } from '../evaluation/reevaluate.js';
import type { DirectoryReader } from '../directory/directory-service.js';
import { maliciousHitsHeldBy } from '../evaluation/malicious-rail.js';
import { existingHuntIds, huntTables } from '../hunts/hunts-store.js';
import { analyseRule, validateRule, type CompiledRule, type RuleWarning } from './language.js';
import type { RuleInput, Scope } from './schemas.js';
import * as store from './rules-store.js';

type RuleRow = NonNullable<Awaited<ReturnType<typeof store.findRule>>>;

export function ruleView(r: RuleRow) {
  return {
    id: r.id, name: r.name, description: r.description, expression: r.expression,
    scope: r.allHunts ? { allHunts: true as const } : { hunts: fromJson<string[]>(r.hunts, []) },
    action: r.action, enabled: r.enabled, expiresAt: isoTime(r.expiresAt),
    expired: r.expiresAt !== null && r.expiresAt.getTime() <= Date.now(),
    owner: r.owner, justification: r.justification, retired: r.retired, version: r.version,
    warnings: fromJson<RuleWarning[]>(r.warnings, []),
    createdBy: r.createdBy, createdAt: isoTime(r.createdAt), updatedBy: r.updatedBy, updatedAt: isoTime(r.updatedAt),
  };
}
export type RuleView = ReturnType<typeof ruleView>;

export function createRulesService(db: Db, directory: DirectoryReader, reevaluator: Reevaluator) {
  const { prisma } = db;

  const tablesFor = (scope: Scope): Promise<string[]> => huntTables(db.sql, 'allHunts' in scope ? null : scope.hunts);

  async function checkHuntsExist(scope: Scope) {
    if ('allHunts' in scope) return;
    const known = await existingHuntIds(db.sql, scope.hunts);
    const missing = scope.hunts.map((h, i) => ({ h, i })).filter(({ h }) => !known.has(h));
    if (missing.length) {
      throw badRequest(`unknown hunt(s) in scope: ${missing.map((m) => m.h).join(', ')}`,
        missing.map((m) => ({ pointer: `/scope/hunts/${m.i}`, message: `no hunt with id ${m.h}` })));
    }
  }

  /**
   * Checks the expression once against the scope's tables: a 400 with positions when it does not parse or type-check,
   * else the validation (warnings, fields, KQL) and the compiled predicate the rail and the backtest run.
   */
  async function validated(body: Pick<RuleInput, 'expression' | 'scope' | 'expiresAt'>) {
    await checkHuntsExist(body.scope);
    const { validation: v, compiled } = analyseRule(body.expression, await tablesFor(body.scope), body.expiresAt ?? null);
    if (!v.ok || !compiled) {
      throw badRequest(`the expression is not valid: ${v.errors[0]?.message ?? 'it does not parse'}`,
        v.errors.map((e) => ({ pointer: '/expression', message: e.message, code: e.code, offset: e.offset, length: e.length, line: e.line, column: e.column })));
    }
    return { ...v, compiled };
  }

  function dataFor(actor: Actor, body: RuleInput, warnings: RuleWarning[]): store.RuleData {
    return {
      name: body.name, description: body.description ?? '', expression: body.expression,
      allHunts: 'allHunts' in body.scope, hunts: toJson('hunts' in body.scope ? body.scope.hunts : []),
      action: body.action, enabled: body.enabled ?? true, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      owner: body.owner ?? actor.name, justification: body.justification ?? '', warnings: toJson(warnings), retired: false,
    };
  }

  /** SPEC §5 safety rail: an enabled suppress rule that holds for malicious-verdict hits needs force + justification. */
  async function rail(body: RuleInput, compiled: CompiledRule) {
    if (body.action !== 'suppress' || body.enabled === false) return [];
    const hits = (await maliciousHitsHeldBy(db.sql, await directory.load(), compiled, 'allHunts' in body.scope ? null : body.scope.hunts))
      .map((h) => ({ id: h.id, huntId: h.huntId }));
    if (hits.length && !(body.force && body.justification?.trim())) {
      throw conflict(`the rule matches ${hits.length} hit(s) with a malicious verdict; they would stay visible, but saving needs `
        + '"force": true and a justification', { maliciousHits: hits.slice(0, 50) });
    }
    return hits;
  }

  const scopeOf = (r: { allHunts: boolean; hunts: string }): Affected =>
    r.allHunts ? { all: true } : { huntIds: fromJson<string[]>(r.hunts, []) };

  async function create(actor: Actor, body: RuleInput) {
    const v = await validated(body);
    const forced = await rail(body, v.compiled);
    const rule = await db.write(async (tx) => {
      const r = await store.insertRule(tx, dataFor(actor, body, v.warnings), actor.name);
      await recordAudit(tx, { actor, action: forced.length ? 'rule.create.forced' : 'rule.create', entityType: 'rule', entityId: r.id,
        after: { ...ruleView(r), ...(forced.length ? { forcedOverMaliciousHits: forced } : {}) } });
      return r;
    });
    const reevaluation = await reevaluator.reevaluate(scopeOf(rule));
    return { ...ruleView(rule), reevaluation };
  }

  function expectedVersion(ifMatch: string | undefined): number {
    if (!ifMatch) throw new AppError(428, 'send If-Match with the version you edited (the rule\'s "version")');
    const n = Number(ifMatch.replace(/^W\//, '').replace(/"/g, ''));
    if (!Number.isInteger(n) || n < 1) throw badRequest('If-Match must be a rule version number', [{ pointer: '/headers/if-match', message: 'not a version' }]);
    return n;
  }

  async function update(actor: Actor, id: string, ifMatch: string | undefined, body: RuleInput & { id?: unknown }) {
    const version = expectedVersion(ifMatch);
    if (body.id !== undefined && body.id !== id) {
      throw badRequest(`the body is rule ${String(body.id)} but the URL names rule ${id}`, [{ pointer: '/id', message: 'must match the rule in the URL (or be left out)' }]);
    }
    const before = await store.findRule(prisma, id);
    if (!before || before.retired) throw notFound(`rule ${id}`);
    if (before.version !== version) throw conflict(`rule ${id} is at version ${before.version}; you edited version ${version}`, { currentVersion: before.version });
    const v = await validated(body);
    const forced = await rail(body, v.compiled);
    const after = await db.write(async (tx) => {
      const r = await store.updateRule(tx, id, version, dataFor(actor, body, v.warnings), actor.name);
      if (!r) throw conflict(`rule ${id} changed while you were saving; reload it`);
      await recordAudit(tx, { actor, action: forced.length ? 'rule.update.forced' : 'rule.update', entityType: 'rule', entityId: id,
        before: ruleView(before), after: { ...ruleView(r), ...(forced.length ? { forcedOverMaliciousHits: forced } : {}) } });
      return r;
    });
    const reevaluation = await reevaluateBoth(before, after);
    return { ...ruleView(after), reevaluation };
  }

  async function reevaluateBoth(a: RuleRow, b: RuleRow) {
    if (a.allHunts || b.allHunts) return reevaluator.reevaluate({ all: true });
    const hunts = [...new Set([...fromJson<string[]>(a.hunts, []), ...fromJson<string[]>(b.hunts, [])])];
    return reevaluator.reevaluate({ huntIds: hunts });
  }

  /** Retiring keeps the rule and its history readable; it stops applying at once. */
  async function retire(actor: Actor, id: string, ifMatch: string | undefined, justification: string | undefined) {
    const before = await store.findRule(prisma, id);
    if (!before || before.retired) throw notFound(`rule ${id}`);
    const version = ifMatch ? expectedVersion(ifMatch) : before.version;
    if (before.version !== version) throw conflict(`rule ${id} is at version ${before.version}; you edited version ${version}`, { currentVersion: before.version });
    const after = await db.write(async (tx) => {
      const r = await store.updateRule(tx, id, version, {
        ...before, expiresAt: before.expiresAt, enabled: false, retired: true,
        justification: justification ?? before.justification,
      }, actor.name);
      if (!r) throw conflict(`rule ${id} changed while you were retiring it; reload it`);
      await recordAudit(tx, { actor, action: 'rule.retire', entityType: 'rule', entityId: id, before: ruleView(before), after: ruleView(r) });
      return r;
    });
    const reevaluation = await reevaluator.reevaluate(scopeOf(after));
    return { ...ruleView(after), reevaluation };
  }

  async function get(id: string) {
    const r = await store.findRule(prisma, id);
    if (!r) throw notFound(`rule ${id}`);
    return ruleView(r);
  }

  async function list(q: { huntId?: string; enabled?: boolean; includeRetired?: boolean }) {
    return (await store.listRules(prisma, q.includeRetired ?? false)).map(ruleView).filter((r) =>
      (q.enabled === undefined || r.enabled === q.enabled)
      && (!q.huntId || 'allHunts' in r.scope || r.scope.hunts.includes(q.huntId)));
  }

  async function versions(id: string) {
    if (!(await store.findRule(prisma, id))) throw notFound(`rule ${id}`);
    return (await store.listRuleVersions(prisma, id)).map((v) => {
      const snap = JSON.parse(v.snapshot) as RuleRow;
      return ruleView({ ...snap, expiresAt: snap.expiresAt ? new Date(snap.expiresAt) : null,
        createdAt: new Date(snap.createdAt), updatedAt: new Date(snap.updatedAt) });
    });
  }

  async function validate(expression: string, scope: Scope | undefined) {
    const tables = scope ? await tablesFor(scope) : ['DeviceNetworkEvents', 'DeviceProcessEvents', 'DeviceFileCertificateInfo'];
    return { tables, ...validateRule(expression, tables, null) };
  }

  return { create, update, retire, get, list, versions, validate, validated, tablesFor, scopeOf };
}

export type RulesService = ReturnType<typeof createRulesService>;
