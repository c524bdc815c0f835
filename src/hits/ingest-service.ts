import { uuidv7 } from '../db/ids.js';
import type { Db } from '../db/database.js';
import { sqlTime } from '../db/time.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { badRequest, notFound } from '../http/errors.js';
import { canonicalFields, rowTable } from '../fields/row-table.js';
import { findHuntCore, type HuntCore } from '../hunts/hunts-store.js';
import { HitsFormatError, parseHitsBody, type ParsedBatch, type ParsedRow } from './body/parse-hits-body.js';
import { readHitsStream, BodyTooLargeError } from './body/read-hits-stream.js';
import { AppError } from '../http/errors.js';
import { findHitsByKeys, hitWriter, sortText, type HitRow } from './hits-store.js';
import { observationWriter } from './observations-store.js';
import { hitKey } from './hit-identity.js';
import { mergeObservation, observationOf, observe, sameObservation, type Observation } from './merge.js';
import { evaluateHit } from '../evaluation/evaluate.js';
import type { ContextLoader } from '../evaluation/evaluation-context.js';
import type { IngestResult } from './schemas.js';

type ParsedRowOk = Extract<ParsedRow, { raw: unknown }>;

const rowTableOf = (hunt: HuntCore, raw: Record<string, unknown>) => rowTable(hunt.table, null, raw, hunt.tables);
type HuntInfo = HuntCore;

export function createIngestService(db: Db, contexts: ContextLoader, opts: { maxRows?: number; maxBytes?: number } = {}) {
  async function huntInfo(huntId: string): Promise<HuntInfo> {
    const h = await findHuntCore(db.sql, huntId);
    if (!h) throw notFound(`hunt ${huntId}`);
    return h;
  }

  /** Parses, normalises and merges a body into candidate hits; nothing is written yet. */
  async function read(body: Buffer | string | AsyncIterable<Buffer | string>, contentType: string | undefined): Promise<ParsedBatch> {
    const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
    try {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (Buffer.byteLength(body) > maxBytes) throw new BodyTooLargeError(maxBytes);
        return parseHitsBody(body, contentType, { maxRows: opts.maxRows });
      }
      return await readHitsStream(body, contentType, { maxRows: opts.maxRows, maxBytes });
    } catch (e) {
      if (e instanceof HitsFormatError) throw badRequest(`the body could not be read: ${e.message}`, [{ pointer: e.pointer ?? '/', message: e.message, code: e.code }]);
      if (e instanceof BodyTooLargeError) throw new AppError(413, e.message);
      throw e;
    }
  }

  /**
   * Pass 1: each row's identity only. Rows are grouped by key and the keys sorted, so new hits are written in key
   * order (the unique (huntId, key) index then grows at its end instead of splitting pages at random).
   */
  function prepare(hunt: HuntInfo, parsed: ParsedBatch) {
    const rejected: { index: number; error: string }[] = [];
    const groups = new Map<string, ParsedRowOk[]>();
    const queried = hunt.tables.length ? hunt.tables : hunt.table ? [hunt.table] : [];
    for (const row of parsed.rows) {
      if ('error' in row) { rejected.push({ index: row.index, error: row.error }); continue; }
      if (row.table && queried.length && !queried.includes(row.table)) {
        rejected.push({ index: row.index, error: `row is from ${row.table} but the hunt queries ${queried.join(', ')}` });
        continue;
      }
      const key = hitKey(hunt.groupKeys, row.raw);
      if (typeof key !== 'string') { rejected.push({ index: row.index, error: key.error }); continue; }
      const g = groups.get(key);
      if (g) g.push(row); else groups.set(key, [row]);
    }
    const keys = [...groups.keys()].sort();
    return { received: parsed.rows.length, rejected, groups, keys };
  }

  /**
   * Pass 2, one key at a time: normalise its rows (a row of the wrong type is rejected), merge them into one
   * observation. Fields and observations live only while their key is written, so they never pile up for the GC.
   */
  function observeGroup(hunt: HuntInfo, rows: ParsedRowOk[], received: string, rejected: { index: number; error: string }[]) {
    let obs: Observation | null = null, n = 0, table: string | null = null;
    // Each row's own observation, kept only when the group has more than one (the hot path is one row per key).
    let each: Observation[] | null = null;
    for (const row of rows) {
      const { fields, errors } = canonicalFields(hunt.table, row.table, row.raw, hunt.tables);
      if (errors.length) { rejected.push({ index: row.index, error: errors.map((e) => `${e.column}: ${e.message}`).join('; ') }); continue; }
      const o = observe(fields, row.raw, received);
      if (obs) (each ??= [obs]).push(o);
      const merged: Observation = obs ? mergeObservation(obs, o) : o;
      // The newest observation's row becomes the hit's raw row, so its own table goes with it (a union hunt's row keeps
      // the table it was inferred from, so its fields do not depend on the next inference).
      if (merged.raw === o.raw) table = row.table ?? (hunt.table ? null : rowTableOf(hunt, row.raw));
      obs = merged;
      n++;
    }
    // `each` stays null for the usual one row per key: nothing to keep besides the shown row, nothing to allocate.
    return { obs, n, table, each };
  }

  /**
   * Keeps every distinct row merged into a hit besides the one it shows: the shown row's observation is skipped by
   * identity or by text, so a re-ingest of the same rows records nothing.
   */
  function keepObservations(writer: ReturnType<typeof observationWriter>, hitId: string, shown: Observation, shownText: string,
    candidates: readonly { o: Observation; text?: string }[], at: string) {
    for (const { o, text } of candidates) {
      if (o.raw === shown.raw) continue;
      const t = text ?? JSON.stringify(o.raw);
      if (t !== shownText) writer.add(hitId, t, o, at);
    }
  }

  /** Ingests a body (bytes, or a stream of them as it arrives); a body that cannot be read is a 400 and writes nothing. */
  async function ingest(actor: Actor, huntId: string, body: Buffer | string | AsyncIterable<Buffer | string>, contentType: string | undefined): Promise<IngestResult> {
    const hunt = await huntInfo(huntId);
    const parsed = await read(body, contentType);
    const now = new Date();
    const received = now.toISOString();
    const prep = prepare(hunt, parsed);
    // Aside: on SQLite the rows are written on a second thread while this one normalises and evaluates the next ones.
    return db.bulkAside(async (sql) => {
      const existing = await findHitsByKeys(sql, hunt.id, prep.keys);
      const ctx = await contexts.load(now, { sql });
      const writer = hitWriter(sql);
      const observations = observationWriter(sql);
      const rejected = [...prep.rejected];
      const result: IngestResult = { received: prep.received, inserted: 0, merged: 0, rejected, suppressed: 0, flagged: 0, open: 0 };
      const t = sqlTime(now);
      for (const key of prep.keys) {
        const group = prep.groups.get(key);
        if (!group) continue;
        const { obs, n, table, each } = observeGroup(hunt, group, received, rejected);
        if (!obs) continue;
        // Rows merged inside the batch count as merged too: received = inserted + merged + rejected.
        const old = existing.get(key);
        let status: string;
        if (old) {
          result.merged += n;
          const before = observationOf(old, (raw) => canonicalFields(hunt.table, old.table, raw, hunt.tables).fields);
          const merged = mergeObservation(before, obs);
          const mergedTable = merged.raw === obs.raw ? table : old.table;
          const shownText = merged.raw === before.raw ? old.raw : JSON.stringify(merged.raw);
          keepObservations(observations, old.id, merged, shownText, [{ o: before, text: old.raw }, ...(each ?? [obs]).map((o) => ({ o }))], t);
          if (sameObservation(before, merged)) {
            status = old.status;
          } else {
            const ev = evaluateHit(ctx, hunt.id, merged, old.verdict);
            status = ev.status;
            writer.upsert(toRow(hunt.id, key, mergedTable, merged, ev, { ...old, version: old.version + 1, updatedAt: t }));
          }
        } else {
          result.inserted++;
          result.merged += n - 1;
          const ev = evaluateHit(ctx, hunt.id, obs, null);
          status = ev.status;
          const row = toRow(hunt.id, key, table, obs, ev, { id: uuidv7(), verdict: null, verdictId: null, version: 1, createdAt: t, updatedAt: t });
          const wait = writer.insert(row);
          if (wait) await wait;
          if (each) keepObservations(observations, row.id, obs, row.raw, each.map((o) => ({ o })), t);
        }
        result[status as 'open' | 'flagged' | 'suppressed']++;
      }
      await writer.end();
      await observations.flush(); // after the hits they belong to
      rejected.sort((a, b) => a.index - b.index);
      await recordAuditSql(sql, { actor, action: 'hits.ingest', entityType: 'hunt', entityId: hunt.id,
        after: { ...result, rejected: result.rejected.length } });
      return result;
    });
  }

  return { ingest, prepare, read, huntInfo };
}

function toRow(huntId: string, key: string, table: string | null, o: Observation, ev: { status: string; matches: unknown[] },
  meta: Pick<HitRow, 'id' | 'verdict' | 'verdictId' | 'version' | 'createdAt' | 'updatedAt'>): HitRow {
  const f = o.fields;
  return {
    id: meta.id, huntId, key, table,
    deviceName: sortText(f['host.name']), userName: sortText(f['user.name']),
    processName: sortText(f['process.name']), parentName: sortText(f['process.parent.name']),
    destination: sortText(f['destination.domain'] ?? f['destination.ip']),
    raw: JSON.stringify(o.raw), reportIds: JSON.stringify(o.reportIds),
    firstSeen: sqlTime(o.firstSeen), lastSeen: sqlTime(o.lastSeen), count: o.count,
    status: ev.status, matches: ev.matches.length ? JSON.stringify(ev.matches) : '[]', verdict: meta.verdict, verdictId: meta.verdictId,
    version: meta.version, createdAt: meta.createdAt, updatedAt: meta.updatedAt,
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
