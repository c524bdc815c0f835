import type { Db } from '../db/database.js';
import { isoTime } from '../db/time.js';
import { badRequest, notFound } from '../http/errors.js';
import { findHit, pageHits, type HitCursor, type HitRow } from './hits-store.js';
import type { HitsQuery } from './schemas.js';
import type { ContextLoader } from '../evaluation/evaluation-context.js';
import { evaluateHit } from '../evaluation/evaluate.js';
import { fieldReader, type FieldReader } from '../evaluation/hit-fields.js';
import { findVerdictsByIds, verdictHistory, type VerdictRow } from '../verdicts/verdicts-store.js';

const encodeCursor = (c: HitCursor) => Buffer.from(JSON.stringify([c.lastSeen, c.id])).toString('base64url');
function decodeCursor(s: string): HitCursor {
  try {
    const [lastSeen, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [string, string];
    if (typeof lastSeen !== 'string' || typeof id !== 'string') throw new Error('shape');
    return { lastSeen, id };
  } catch {
    throw badRequest('cursor is not valid', [{ pointer: '/cursor', message: 'use nextCursor from a previous page' }]);
  }
}

const verdictView = (v: VerdictRow) => ({ id: v.id, verdict: v.verdict, classification: v.classification, classificationReason: v.classificationReason,
  comment: v.comment, createdBy: v.createdBy, createdAt: isoTime(v.createdAt), hitVersion: v.hitVersion });

function view(fields: FieldReader, r: HitRow, verdict: VerdictRow | undefined, full: boolean) {
  const hit = fields(r);
  return {
    id: r.id, huntId: r.huntId, status: r.status, verdict: verdict ? verdictView(verdict) : null,
    fields: hit.fields,
    ...(full ? { raw: hit.raw, table: r.table } : {}),
    firstSeen: isoTime(r.firstSeen), lastSeen: isoTime(r.lastSeen), count: r.count, version: r.version,
    reportIds: JSON.parse(r.reportIds) as string[], key: JSON.parse(r.key) as string[],
    matches: JSON.parse(r.matches) as { ruleId?: string }[],
  };
}

export function createHitsQuery(db: Db, contexts: ContextLoader) {
  function list(q: HitsQuery) {
    const { limit, cursor, ...filter } = q;
    const rows = pageHits(db.sqlite, filter, cursor ? decodeCursor(cursor) : null, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const verdicts = findVerdictsByIds(db.sqlite, page.map((r) => r.verdictId).filter((id): id is string => id !== null));
    const fields = fieldReader(db.sqlite);
    return { items: page.map((r) => view(fields, r, r.verdictId ? verdicts.get(r.verdictId) : undefined, false)),
      nextCursor: rows.length > limit && last ? encodeCursor({ lastSeen: last.lastSeen ?? '', id: last.id }) : null };
  }

  function get(id: string) {
    const row = findHit(db.sqlite, id);
    if (!row) throw notFound(`hit ${id}`);
    const history = verdictHistory(db.sqlite, id);
    const fields = fieldReader(db.sqlite);
    const base = view(fields, row, history.find((v) => v.id === row.verdictId), true);
    // The clause-level explanation of each rule that holds, rendered now with the same evaluation that stored the status.
    const explained = evaluateHit(contexts.load(), row.huntId, fields(row), row.verdict, { explain: true });
    const matches = base.matches.map((m) => {
      const e = m.ruleId ? explained.matches.find((x) => 'ruleId' in x && x.ruleId === m.ruleId) : undefined;
      return e && 'explanation' in e ? { ...m, explanation: e.explanation } : m;
    });
    return { ...base, matches, verdicts: history.map((v) => ({ ...verdictView(v), hitId: v.hitId })) };
  }

  return { list, get };
}

export type HitsQueryService = ReturnType<typeof createHitsQuery>;
