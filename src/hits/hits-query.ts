import type { Db } from '../db/database.js';
import { isoTime } from '../db/time.js';
import { notFound } from '../http/errors.js';
import { countHitsByFilter, findHit, pageHits, sortValue, type HitRow } from './hits-store.js';
import { observationsOf } from './observations-store.js';
import type { HitsQuery } from './schemas.js';
import { decodeCursor, encodeCursor } from './hit-cursor.js';
import { emptyReason } from './empty-reason.js';
import type { ContextLoader } from '../evaluation/evaluation-context.js';
import { explainAll } from '../evaluation/evaluate.js';
import { fieldReader, type FieldReader } from '../evaluation/hit-fields.js';
import { findVerdictsByIds, verdictHistory, type VerdictRow } from '../verdicts/verdicts-store.js';
import { ruleNamesByIds } from '../rules/rules-store.js';
import { listAliasesByIds } from '../suppression/lists-store.js';

type StoredMatch = { ruleId: string; action: string } | { listId: string };

const verdictView = (v: VerdictRow) => ({ id: v.id, verdict: v.verdict, classification: v.classification, classificationReason: v.classificationReason,
  comment: v.comment, createdBy: v.createdBy, createdAt: isoTime(v.createdAt), hitVersion: v.hitVersion });

/** Rule names and list aliases for every match of these hits: one query for rules, one for lists, whatever the page size. */
async function namesFor(db: Db, matches: StoredMatch[][], extraRuleIds: string[] = []) {
  const flat = matches.flat();
  const rules = await ruleNamesByIds(db.sql, [...flat.flatMap((m) => ('ruleId' in m ? [m.ruleId] : [])), ...extraRuleIds]);
  const lists = await listAliasesByIds(db.sql, flat.flatMap((m) => ('listId' in m ? [m.listId] : [])));
  // Rules are retired, never deleted, and lists are never deleted, so a name is always found; the id stands in otherwise.
  return { rule: (id: string) => rules.get(id) ?? id, list: (id: string) => lists.get(id) ?? id };
}
type Names = Awaited<ReturnType<typeof namesFor>>;

function named(matches: StoredMatch[], names: Names) {
  return matches.map((m) => ('ruleId' in m ? { ...m, ruleName: names.rule(m.ruleId) } : { ...m, listAlias: names.list(m.listId) }));
}

function view(fields: FieldReader, r: HitRow, verdict: VerdictRow | undefined, matches: StoredMatch[], names: Names, full: boolean) {
  const hit = fields(r);
  return {
    id: r.id, huntId: r.huntId, status: r.status, verdict: verdict ? verdictView(verdict) : null,
    fields: hit.fields,
    ...(full ? { raw: hit.raw, table: r.table } : {}),
    firstSeen: isoTime(r.firstSeen), lastSeen: isoTime(r.lastSeen), count: r.count, version: r.version,
    reportIds: JSON.parse(r.reportIds) as string[], key: JSON.parse(r.key) as string[],
    matches: named(matches, names),
    ruleNames: matches.flatMap((m) => ('ruleId' in m ? [names.rule(m.ruleId)] : [])),
  };
}

export function createHitsQuery(db: Db, contexts: ContextLoader) {
  async function list(q: HitsQuery) {
    const { limit, cursor, sort = 'lastSeen', order = 'desc', ...filter } = q;
    const rows = await pageHits(db.sql, filter, sort, order, cursor ? decodeCursor(cursor, sort, order) : null, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const verdicts = await findVerdictsByIds(db.sql, page.map((r) => r.verdictId).filter((id): id is string => id !== null));
    const fields = await fieldReader(db.sql);
    const matches = page.map((r) => JSON.parse(r.matches) as StoredMatch[]);
    const names = await namesFor(db, matches);
    return {
      items: page.map((r, i) => view(fields, r, r.verdictId ? verdicts.get(r.verdictId) : undefined, matches[i]!, names, false)),
      nextCursor: rows.length > limit && last ? encodeCursor({ sort, order, value: sortValue(last, sort), id: last.id }) : null,
      total: await countHitsByFilter(db.sql, filter),
      emptyReason: emptyReason(filter),
    };
  }

  async function get(id: string) {
    const row = await findHit(db.sql, id);
    if (!row) throw notFound(`hit ${id}`);
    const history = await verdictHistory(db.sql, id);
    const fields = await fieldReader(db.sql);
    // Every rule in the hit's scope, explained now with the same evaluation that stored the status: the ones that hold
    // explain the matches, the others are the near misses, with the clause that failed (false) or lacked a field (unknown).
    const explained = explainAll(await contexts.load(), row.huntId, fields(row));
    const misses = explained.filter((e) => e.result !== true);
    const stored = JSON.parse(row.matches) as StoredMatch[];
    const names = await namesFor(db, [stored], misses.map((e) => e.ruleId));
    const base = view(fields, row, history.find((v) => v.id === row.verdictId), stored, names, true);
    const matches = base.matches.map((m) => {
      const e = 'ruleId' in m ? explained.find((x) => x.ruleId === m.ruleId && x.result === true) : undefined;
      return e ? { ...m, explanation: e.clauses } : m;
    });
    const nearMisses = misses.map((e) => ({ ruleId: e.ruleId, ruleName: names.rule(e.ruleId), action: e.action,
      result: e.result === false ? 'false' as const : 'unknown' as const, clauses: e.clauses }));
    // Every row merged into the hit: the one it shows (the newest) first, then the others it kept.
    const observations = [
      { shown: true, raw: base.raw, firstSeen: base.firstSeen, lastSeen: base.lastSeen, count: base.count, reportIds: base.reportIds },
      ...(await observationsOf(db.sql, id)).map((o) => ({ shown: false, raw: JSON.parse(o.raw) as Record<string, unknown>, firstSeen: isoTime(o.firstSeen),
        lastSeen: isoTime(o.lastSeen), count: o.count, reportIds: JSON.parse(o.reportIds) as string[] })),
    ];
    return { ...base, matches, nearMisses, observations, verdicts: history.map((v) => ({ ...verdictView(v), hitId: v.hitId })) };
  }

  return { list, get };
}

export type HitsQueryService = ReturnType<typeof createHitsQuery>;
