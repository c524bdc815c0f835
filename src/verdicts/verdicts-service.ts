import { randomUUID } from 'node:crypto';
import type { Db, Sql } from '../db/database.js';
import { sqlTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import type { Reevaluator } from '../evaluation/reevaluate.js';
import { listKeyOf } from '../evaluation/evaluate.js';
import { findHit, findHitsByFilter, findHitsByIds, setHitVerdict, type HitRow } from '../hits/hits-store.js';
import type { ListsService } from '../suppression/lists-service.js';
import { listsServingHunt, type ListRecord } from '../suppression/lists-store.js';
import * as entries from '../suppression/entries-store.js';
import { insertVerdict } from './verdicts-store.js';
import { classificationError } from './classification.js';
import type { BulkVerdictBody, VerdictBody } from './schemas.js';

type HitCore = Pick<HitRow, 'id' | 'huntId' | 'raw' | 'version' | 'verdict'>;

type Decision = Omit<VerdictBody, 'hitVersion'>;

export function createVerdictsService(db: Db, lists: ListsService, reevaluator: Reevaluator) {
  function checkDecision(d: Decision) {
    const err = classificationError(d.verdict, d.classification, d.classificationReason);
    if (err) throw badRequest(`classification: ${err.message}`, [err]);
    if (d.suppress && d.verdict !== 'benign') {
      throw badRequest('only a benign verdict can add the hit to a suppression list', [{ pointer: '/suppress', message: 'needs verdict benign' }]);
    }
  }

  /** Live entries, in lists serving the hit's hunt, whose key is this hit's key. */
  async function entriesForHit(sql: Sql, hit: HitCore): Promise<{ list: ListRecord; entry: entries.EntryRow }[]> {
    const raw = JSON.parse(hit.raw) as Record<string, unknown>;
    const out: { list: ListRecord; entry: entries.EntryRow }[] = [];
    for (const list of await listsServingHunt(sql, hit.huntId)) {
      const key = listKeyOf(raw, list.keyColumns);
      const entry = key === null ? undefined : await entries.findLiveEntryByKey(sql, list.id, key, new Date());
      if (entry) out.push({ list, entry });
    }
    return out;
  }

  async function onlyListFor(sql: Sql, huntId: string): Promise<ListRecord> {
    const ids = await listsServingHunt(sql, huntId);
    if (ids.length !== 1) {
      throw badRequest(ids.length ? `${ids.length} suppression lists serve this hunt; name one with suppress.listId` : 'no suppression list serves this hunt',
        [{ pointer: '/suppress', message: 'give { "listId": … }' }]);
    }
    return ids[0]!;
  }

  /** Records one verdict inside a running transaction; returns what must be re-evaluated afterwards. */
  async function apply(sql: Sql, actor: Actor, hit: HitCore, d: Decision) {
    const now = sqlTime(new Date());
    const verdictId = randomUUID();
    const version = Number(hit.version) + 1;
    await insertVerdict(sql, { id: verdictId, hitId: hit.id, verdict: d.verdict, classification: d.classification,
      classificationReason: d.classificationReason ?? null, comment: d.comment, hitVersion: version, createdAt: now, createdBy: actor.name });
    await setHitVerdict(sql, hit.id, { verdict: d.verdict, verdictId, version, at: now });
    const revoked: string[] = [];
    let added: { list: ListRecord; entry: entries.EntryRow; created: boolean } | null = null;
    if (d.verdict === 'malicious') {
      // SPEC §6: a malicious verdict revokes every live entry with this hit's key, re-opening what it suppressed.
      for (const { entry } of await entriesForHit(sql, hit)) {
        await entries.revokeEntry(sql, actor, entry, `malicious verdict on hit ${hit.id}`);
        revoked.push(entry.id);
      }
    }
    if (d.suppress) {
      const list = d.suppress === true ? await onlyListFor(sql, hit.huntId) : await lists.listOrThrow(sql, d.suppress.listId);
      if (!list.hunts.includes(hit.huntId)) {
        throw badRequest(`list ${list.alias} does not serve the hunt of hit ${hit.id}`, [{ pointer: '/suppress/listId', message: 'list is for other hunts' }]);
      }
      const raw = JSON.parse(hit.raw) as Record<string, unknown>;
      const values = Object.fromEntries(list.keyColumns.map((c) => [c, raw[c] === undefined || raw[c] === null ? '' : String(raw[c])]));
      const opts: { reason?: string; expiresAt?: string } = d.suppress === true ? {} : d.suppress;
      const r = await lists.addEntrySql(sql, actor, list, { values, reason: opts.reason ?? d.comment, expiresAt: opts.expiresAt, sourceVerdictId: verdictId });
      added = { list, ...r };
    }
    await recordAuditSql(sql, { actor, action: 'verdict.create', entityType: 'hit', entityId: hit.id,
      before: { verdict: hit.verdict, version: Number(hit.version) },
      after: { verdictId, verdict: d.verdict, classification: d.classification, classificationReason: d.classificationReason ?? null,
        comment: d.comment, version, revokedEntries: revoked, addedEntry: added?.entry.id ?? null } });
    return { verdictId, revoked, added };
  }

  /** What a verdict changes beyond its own hits (re-evaluated in its transaction): hits of revoked and added entries. */
  async function afterwards(own: number, revoked: string[], added: { list: ListRecord; entry: entries.EntryRow; created: boolean }[]) {
    let changed = own;
    if (revoked.length) changed += (await reevaluator.reevaluate({ mentioning: revoked })).changed;
    for (const a of added) if (a.created && a.entry.status === 'active') changed += (await reevaluator.reevaluate(lists.affectedBy(a.list, a.entry))).changed;
    return changed;
  }

  async function record(actor: Actor, hitId: string, body: VerdictBody) {
    checkDecision(body);
    const result = await db.bulk(async (sql) => {
      const hit = await findHit(sql, hitId);
      if (!hit) throw notFound(`hit ${hitId}`);
      if (Number(hit.version) !== body.hitVersion) {
        throw conflict(`hit ${hitId} is at version ${hit.version}, you looked at version ${body.hitVersion}: reload it, someone else changed it`,
          { currentVersion: Number(hit.version) });
      }
      const applied = await apply(sql, actor, hit, body);
      return { ...applied, own: (await reevaluator.reevaluateWithin(sql, [hitId])).changed };
    });
    const changed = await afterwards(result.own, result.revoked, result.added ? [result.added] : []);
    return { verdictId: result.verdictId, revokedEntries: result.revoked,
      entry: result.added ? entries.entryView(result.added.entry) : null, reevaluated: changed };
  }

  /** All or nothing: every selected hit gets the verdict, or (on any error) none does. */
  async function recordBulk(actor: Actor, body: BulkVerdictBody) {
    checkDecision(body);
    if (!body.ids === !body.filter) {
      throw badRequest('give either ids or filter', [{ pointer: '/ids', message: 'exactly one of ids and filter' }]);
    }
    const result = await db.bulk(async (sql) => {
      let hits: HitCore[];
      if (body.ids) {
        hits = await findHitsByIds(sql, body.ids);
        const found = new Set(hits.map((h) => h.id));
        const missing = body.ids.map((id, i) => ({ id, i })).filter((x) => !found.has(x.id));
        if (missing.length) throw badRequest(`${missing.length} hit(s) not found; no verdict was recorded`, missing.map((m) => ({ pointer: `/ids/${m.i}`, message: `no hit ${m.id}` })));
      } else if (body.filter) {
        hits = await findHitsByFilter(sql, body.filter, 10_001);
        if (hits.length > 10_000) throw badRequest('the filter selects more than 10,000 hits; narrow it', [{ pointer: '/filter', message: 'too broad' }]);
      } else hits = [];
      const revoked: string[] = [];
      const added: { list: ListRecord; entry: entries.EntryRow; created: boolean }[] = [];
      for (const h of hits) {
        const r = await apply(sql, actor, h, body);
        revoked.push(...r.revoked);
        if (r.added) added.push(r.added);
      }
      const ids = hits.map((h) => h.id);
      return { ids, revoked, added, own: (await reevaluator.reevaluateWithin(sql, ids)).changed };
    });
    const changed = await afterwards(result.own, result.revoked, result.added);
    return { count: result.ids.length, ids: result.ids, revokedEntries: result.revoked, entriesAdded: result.added.filter((a) => a.created).length, reevaluated: changed };
  }

  return { record, recordBulk };
}

export type VerdictsService = ReturnType<typeof createVerdictsService>;
