import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { fromJson, toJson } from '../db/json.js';
import { isoTime } from '../db/time.js';
import { recordAudit } from '../audit/audit-store.js';
import type { Actor } from '../core/actor.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { nulAt } from '../http/validate.js';
import type { KqlDiagnostic } from '../kusto/analyser.js';
import { parseHuntDocument, HuntImportError, type ParsedHunt } from './document/parse-hunt-document.js';
import { deriveQueryShape } from './shape/query-shape.js';
import * as store from './hunts-store.js';
import { countHitsByStatus } from '../hits/hits-store.js';
import { findRule } from '../rules/rules-store.js';
import { ruleView } from '../rules/rules-service.js';

export type ImportHint = 'yaml' | 'json' | 'page' | undefined;
type HuntRow = NonNullable<Awaited<ReturnType<typeof store.findHunt>>>;

/** A hunt without an id in its document gets a stable one from its name, so re-import still updates it. */
function idFor(parsed: ParsedHunt): string {
  if (parsed.sourceId) return parsed.sourceId;
  const h = createHash('sha256').update(`quell-hunt:${parsed.name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const diagnosticWarning = (d: KqlDiagnostic) =>
  ({ code: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column, offset: d.start, length: d.length });

export function huntView(h: HuntRow, counts: Record<string, number> = { open: 0, flagged: 0, suppressed: 0 }) {
  const diagnostics = fromJson<KqlDiagnostic[]>(h.diagnostics, []);
  return {
    id: h.id, name: h.name, description: h.description, query: h.query, table: h.table, tables: fromJson<string[]>(h.tables, []),
    groupKeys: fromJson<string[]>(h.groupKeys, []), tactics: fromJson<string[]>(h.tactics, []),
    techniques: fromJson<string[]>(h.techniques, []), dataTypes: fromJson<string[]>(h.dataTypes, []),
    format: h.format, sourceUrl: h.sourceUrl, version: h.version,
    warnings: diagnostics.map(diagnosticWarning),
    createdAt: isoTime(h.createdAt), createdBy: h.createdBy, updatedAt: isoTime(h.updatedAt), updatedBy: h.updatedBy,
    scenarios: h.scenarios.map((s) => ({ id: s.id, position: s.position, title: s.title, description: s.description,
      filterText: s.filterText, source: s.source, ruleId: s.ruleId })),
    counts: { ...counts, total: (counts.open ?? 0) + (counts.flagged ?? 0) + (counts.suppressed ?? 0) },
  };
}
export type HuntView = ReturnType<typeof huntView>;

/** Where a hunt document comes from: its format and, when it names one, its source URL. */
const describeSource = (h: { format: string; sourceUrl: string | null }) => ({ format: h.format, sourceUrl: h.sourceUrl });
const sourceOf = (h: { format: string; sourceUrl: string | null }) => `${h.format}${h.sourceUrl ? ` (${h.sourceUrl})` : ''}`;

export function createHuntsService(db: Db) {
  const { prisma } = db;

  function parse(text: string, hint: ImportHint): ParsedHunt {
    try {
      return parseHuntDocument(text, hint);
    } catch (e) {
      if (e instanceof HuntImportError) {
        throw badRequest(e.message, [{ pointer: e.pointer ?? '/', message: e.message, code: e.code }]);
      }
      throw e;
    }
  }

  /**
   * Imports or re-imports a hunt; an unchanged document changes nothing, a changed one makes a new version.
   * Scenarios belong to Quell, not to the document: a re-import adds new ones and updates changed ones by title, but
   * never deletes one (the upstream YAML of a seed hunt has no False Positive Guidance). A document from another source
   * than the stored one (another format, or another source URL) for the same id is a 409 naming both, unless
   * `replace` says it is meant to take over: two different files must not silently flip-flop one hunt.
   */
  async function importHunt(actor: Actor, text: string, hint: ImportHint, opts: { replace?: boolean } = {}) {
    const parsed = parse(text, hint);
    // Stored as text, which PostgreSQL cannot hold with a NUL in it (raw, or escaped in JSON); no hunting query has one.
    const nul = nulAt(parsed, '');
    if (nul !== null) throw badRequest(`the document holds a NUL character (in ${nul || 'it'}); hunts are text`, [{ pointer: nul || '/', message: 'contains U+0000' }]);
    const shape = deriveQueryShape(parsed.query);
    const record: store.HuntRecord = {
      id: idFor(parsed), name: parsed.name, description: parsed.description, query: parsed.query,
      table: shape.table, tables: toJson(shape.tables), groupKeys: toJson(shape.groupKeys), tactics: toJson(parsed.tactics),
      techniques: toJson(parsed.techniques), dataTypes: toJson(parsed.dataTypes), format: parsed.format,
      sourceUrl: parsed.sourceUrl ?? null, diagnostics: toJson(shape.diagnostics),
    };
    const scenarios = parsed.scenarios.map((s) => ({
      title: s.title, filterText: s.filterText, description: s.description ?? null, source: parsed.sourceUrl ?? null,
    }));
    return db.write(async (tx) => {
      const before = await store.findHunt(tx, record.id);
      if (before && !opts.replace && sourceOf(before) !== sourceOf(record)) {
        throw conflict(`hunt ${record.id} ("${before.name}") was imported from ${sourceOf(before)}; this document is ${sourceOf(record)}. `
          + 'Import it with ?replace=true to replace the hunt, or give the document its own id.',
        { huntId: record.id, existingSource: describeSource(before), incomingSource: describeSource(record) });
      }
      const known = new Map((before?.scenarios ?? []).map((s) => [s.title, s]));
      const changedScenarios = scenarios.filter((s) => {
        const k = known.get(s.title);
        return !k || k.filterText !== s.filterText || (s.description !== null && k.description !== s.description);
      });
      const same = before && (Object.keys(record) as (keyof store.HuntRecord)[]).every((k) => before[k] === record[k]) && !changedScenarios.length;
      if (before && same) return { created: false, changed: false, hunt: huntView(before) };
      const version = before ? before.version + 1 : 1;
      if (before) await store.updateHunt(tx, record, version, actor.name);
      else await store.insertHunt(tx, record, actor.name);
      await store.insertHuntVersion(tx, record.id, version,
        { ...parsed, groupKeys: shape.groupKeys, table: shape.table, tables: shape.tables }, actor.name);
      for (const s of changedScenarios) {
        const k = known.get(s.title);
        if (k) await store.updateScenario(tx, k.id, { filterText: s.filterText, description: s.description ?? k.description, source: s.source ?? k.source });
        else await store.appendScenario(tx, record.id, s);
      }
      const after = huntView((await store.findHunt(tx, record.id))!);
      await recordAudit(tx, { actor, action: before ? 'hunt.update' : 'hunt.create', entityType: 'hunt', entityId: record.id,
        before: before ? huntView(before) : undefined, after });
      return { created: !before, changed: true, hunt: after };
    });
  }

  async function getHunt(id: string) {
    const h = await store.findHunt(prisma, id);
    if (!h) throw notFound(`hunt ${id}`);
    return huntView(h, (await countHitsByStatus(db.sql, id)).get(id));
  }

  async function listHunts() {
    const hunts = await store.listHunts(prisma);
    const counts = await countHitsByStatus(db.sql);
    return hunts.map((h) => huntView(h, counts.get(h.id)));
  }

  async function listVersions(id: string) {
    if (!(await store.findHunt(prisma, id))) throw notFound(`hunt ${id}`);
    return (await store.listHuntVersions(prisma, id)).map((v) => ({
      version: v.version, createdAt: isoTime(v.createdAt), createdBy: v.createdBy, document: JSON.parse(v.document) as unknown,
    }));
  }

  async function findRaw(id: string) {
    return store.findHunt(prisma, id);
  }

  /** Documented scenarios with the rule each links to (null when it has none, or its rule is gone). */
  async function listScenarios() {
    const all = await store.listScenarios(prisma);
    return Promise.all(all.map(async (s) => {
      const rule = s.ruleId ? await findRule(prisma, s.ruleId) : null;
      return { id: s.id, huntId: s.huntId, position: s.position, title: s.title, description: s.description, filterText: s.filterText,
        source: s.source, ruleId: s.ruleId, rule: rule ? ruleView(rule) : null };
    }));
  }

  /** Scenarios of these hunts that have no rule yet (seeding gives each its rule). */
  const scenariosWithoutRule = (huntIds: readonly string[]) => store.scenariosWithoutRule(prisma, huntIds);
  // A write like any other: through the write lock, never beside a transaction of this process on the file.
  const linkScenarioRule = (scenarioId: string, ruleId: string) => db.write((tx) => store.linkScenarioRule(tx, scenarioId, ruleId));

  /** The id a document would import under, or null when it does not parse. */
  function peekId(text: string): string | null {
    try { return idFor(parseHuntDocument(text, undefined)); } catch { return null; }
  }

  return { importHunt, getHunt, listHunts, listVersions, findRaw, listScenarios, scenariosWithoutRule, linkScenarioRule, peekId };
}

export type HuntsService = ReturnType<typeof createHuntsService>;
