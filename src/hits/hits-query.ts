import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../db/database.js';
import { isoTime } from '../db/time.js';
import { badRequest, notFound } from '../http/errors.js';
import type { HitRow } from './hits-store.js';
import type { ContextLoader } from './evaluation-context.js';
import { evaluateHit } from './evaluate.js';
import { normaliseRow } from '../language/index.js';

export const HitsQuery = Type.Object({
  huntId: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('flagged'), Type.Literal('suppressed')])),
  verdict: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('malicious'), Type.Literal('benign')])),
  ruleId: Type.Optional(Type.String({ description: 'hits a rule (or list entry) matched' })),
  device: Type.Optional(Type.String({ description: 'device name, case-insensitive; a trailing * matches a prefix' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'free text in the raw row, case-insensitive' })),
  queue: Type.Optional(Type.Boolean({ description: 'the open queue: open or flagged hits without a verdict' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type HitsQuery = Static<typeof HitsQuery>;
export type HitFilter = Omit<HitsQuery, 'limit' | 'cursor'>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause for a hit filter; shared by the list, bulk verdicts and exports so they select the same hits. */
export function filterSql(f: HitFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [], params: unknown[] = [];
  if (f.huntId) { parts.push('h."huntId" = ?'); params.push(f.huntId); }
  if (f.status) { parts.push('h."status" = ?'); params.push(f.status); }
  if (f.verdict === 'none') parts.push('h."verdict" IS NULL');
  else if (f.verdict) { parts.push('h."verdict" = ?'); params.push(f.verdict); }
  if (f.queue) parts.push(`h."verdict" IS NULL AND h."status" IN ('open', 'flagged')`);
  if (f.ruleId) { parts.push(`h."matches" LIKE ? ESCAPE '\\'`); params.push(`%"${escapeLike(f.ruleId)}"%`); }
  if (f.device) {
    const d = f.device.toLowerCase();
    if (d.endsWith('*')) { parts.push(`h."deviceName" LIKE ? ESCAPE '\\'`); params.push(`${escapeLike(d.slice(0, -1))}%`); }
    else { parts.push('h."deviceName" = ?'); params.push(d); }
  }
  if (f.q) { parts.push(`LOWER(h."raw") LIKE ? ESCAPE '\\'`); params.push(`%${escapeLike(f.q.toLowerCase())}%`); }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

interface Cursor { lastSeen: string; id: string }
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.lastSeen, c.id])).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const [lastSeen, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [string, string];
    if (typeof lastSeen !== 'string' || typeof id !== 'string') throw new Error('shape');
    return { lastSeen, id };
  } catch {
    throw badRequest('cursor is not valid', [{ pointer: '/cursor', message: 'use nextCursor from a previous page' }]);
  }
}

type Joined = HitRow & { h_table: string | null; v_id: string | null; v_verdict: string | null; v_classification: string | null; v_reason: string | null;
  v_comment: string | null; v_by: string | null; v_at: string | null; v_hitVersion: number | null };

const SELECT = `SELECT h.*, hu."table" AS h_table, v."id" AS v_id, v."verdict" AS v_verdict, v."classification" AS v_classification,
  v."classificationReason" AS v_reason, v."comment" AS v_comment, v."createdBy" AS v_by, v."createdAt" AS v_at, v."hitVersion" AS v_hitVersion
  FROM "Hit" h JOIN "Hunt" hu ON hu."id" = h."huntId" LEFT JOIN "Verdict" v ON v."id" = h."verdictId"`;

function view(r: Joined, full: boolean) {
  const verdict = r.v_id ? { id: r.v_id, verdict: r.v_verdict, classification: r.v_classification, classificationReason: r.v_reason,
    comment: r.v_comment, createdBy: r.v_by, createdAt: isoTime(r.v_at), hitVersion: Number(r.v_hitVersion) } : null;
  const raw = JSON.parse(r.raw) as Record<string, unknown>;
  return {
    id: r.id, huntId: r.huntId, status: r.status, verdict,
    fields: normaliseRow(r.h_table ?? '', raw).fields,
    ...(full ? { raw } : {}),
    firstSeen: isoTime(r.firstSeen), lastSeen: isoTime(r.lastSeen), count: Number(r.count), version: Number(r.version),
    reportIds: JSON.parse(r.reportIds) as string[], key: JSON.parse(r.key) as string[],
    matches: JSON.parse(r.matches) as unknown[],
  };
}

export function createHitsQuery(db: Db, contexts: ContextLoader) {
  function list(q: HitsQuery) {
    const f = filterSql(q);
    const params = [...f.params];
    let where = f.sql;
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      where += ' AND (h."lastSeen" < ? OR (h."lastSeen" = ? AND h."id" < ?))';
      params.push(c.lastSeen, c.lastSeen, c.id);
    }
    const rows = db.sqlite.prepare(`${SELECT} WHERE ${where} ORDER BY h."lastSeen" DESC, h."id" DESC LIMIT ?`)
      .all(...params, q.limit + 1) as Joined[];
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => view(r, false)),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ lastSeen: last.lastSeen ?? '', id: last.id }) : null };
  }

  function get(id: string) {
    const row = db.sqlite.prepare(`${SELECT} WHERE h."id" = ?`).get(id) as Joined | undefined;
    if (!row) throw notFound(`hit ${id}`);
    const history = db.sqlite.prepare(`SELECT * FROM "Verdict" WHERE "hitId" = ? ORDER BY "createdAt" DESC, "id" DESC`).all(id) as
      { id: string; verdict: string; classification: string; classificationReason: string | null; comment: string; hitVersion: number; createdAt: string; createdBy: string }[];
    // The clause-level explanation of each rule that holds, rendered now with the same evaluation that stored the status.
    const base = view(row, true);
    const explained = evaluateHit(contexts.load(), row.huntId, { fields: base.fields, raw: base.raw! }, row.verdict, { explain: true });
    const matches = (base.matches as { ruleId?: string }[]).map((m) => {
      const e = m.ruleId ? explained.matches.find((x) => 'ruleId' in x && x.ruleId === m.ruleId) : undefined;
      return e && 'explanation' in e ? { ...m, explanation: e.explanation } : m;
    });
    return { ...base, matches, verdicts: history.map((v) => ({ ...v, hitVersion: Number(v.hitVersion), createdAt: isoTime(v.createdAt) })) };
  }

  return { list, get };
}

export type HitsQueryService = ReturnType<typeof createHitsQuery>;
