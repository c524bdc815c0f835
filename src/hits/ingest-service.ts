import { uuidv7 } from '../db/ids.js';
import type { Db } from '../db/database.js';
import { sqlTime } from '../db/time.js';
import type { Actor } from '../accounts/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { badRequest, notFound } from '../http/errors.js';
import { normaliseRow } from '../language/index.js';
import { HitsFormatError, parseHitsBody, type ParsedBatch } from './body/parse-hits-body.js';
import { readHitsStream, BodyTooLargeError } from './body/read-hits-stream.js';
import { AppError } from '../http/errors.js';
import { findHitsByKeys, hitWriter, type HitRow } from './hits-store.js';
import { hitIdentity } from './hit-identity.js';
import { mergeObservation, observationOf, observe, sameObservation, type Observation } from './merge.js';
import { evaluateHit } from './evaluate.js';
import type { ContextLoader } from './evaluation-context.js';

export interface IngestResult {
  received: number; inserted: number; merged: number; rejected: { index: number; error: string }[];
  suppressed: number; flagged: number; open: number;
}

interface HuntInfo { id: string; table: string | null; groupKeys: string[] }

export function createIngestService(db: Db, contexts: ContextLoader, opts: { maxRows?: number; maxBytes?: number } = {}) {
  function huntInfo(huntId: string): HuntInfo {
    const h = db.sqlite.prepare('SELECT "id", "table", "groupKeys" FROM "Hunt" WHERE "id" = ?').get(huntId) as
      { id: string; table: string | null; groupKeys: string } | undefined;
    if (!h) throw notFound(`hunt ${huntId}`);
    return { id: h.id, table: h.table, groupKeys: JSON.parse(h.groupKeys) as string[] };
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

  function prepare(hunt: HuntInfo, parsed: ParsedBatch, received: string) {
    const rejected: { index: number; error: string }[] = [];
    const candidates = new Map<string, { key: string; obs: Observation; first: number }>();
    for (const row of parsed.rows) {
      if ('error' in row) { rejected.push({ index: row.index, error: row.error }); continue; }
      const table = row.table ?? hunt.table;
      if (row.table && hunt.table && row.table !== hunt.table) {
        rejected.push({ index: row.index, error: `row is from ${row.table} but the hunt queries ${hunt.table}` });
        continue;
      }
      const { fields, errors } = normaliseRow(table ?? 'DeviceNetworkEvents', row.raw);
      if (errors.length) {
        rejected.push({ index: row.index, error: errors.map((e) => `${e.column}: ${e.message}`).join('; ') });
        continue;
      }
      const id = hitIdentity(hunt.groupKeys, row.raw);
      if ('error' in id) { rejected.push({ index: row.index, error: id.error }); continue; }
      const obs = observe(fields, row.raw, received);
      const prev = candidates.get(id.key);
      candidates.set(id.key, prev ? { ...prev, obs: mergeObservation(prev.obs, obs) } : { key: id.key, obs, first: row.index });
    }
    // Written in key order: the unique (huntId, key) index then grows at its end instead of splitting pages at random,
    // the usual bulk-load trick; the result does not depend on the order.
    const sorted = [...candidates.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { received: parsed.rows.length, rejected, candidates: sorted };
  }

  /** Ingests a body (bytes, or a stream of them as it arrives); a body that cannot be read is a 400 and writes nothing. */
  async function ingest(actor: Actor, huntId: string, body: Buffer | string | AsyncIterable<Buffer | string>, contentType: string | undefined): Promise<IngestResult> {
    const hunt = huntInfo(huntId);
    const parsed = await read(body, contentType);
    const now = new Date();
    const received = now.toISOString();
    const prep = prepare(hunt, parsed, received);
    return db.bulk((sqlite) => {
      const existing = findHitsByKeys(sqlite, hunt.id, prep.candidates.map((c) => c.key));
      const ctx = contexts.load(now);
      const writer = hitWriter(sqlite);
      const result: IngestResult = { received: prep.received, inserted: 0, merged: 0, rejected: prep.rejected, suppressed: 0, flagged: 0, open: 0 };
      const t = sqlTime(now);
      // Rows merged inside the batch count as merged too: received = inserted + merged + rejected.
      result.merged = prep.received - prep.rejected.length - prep.candidates.length;
      for (const c of prep.candidates) {
        const old = existing.get(c.key);
        let status: string;
        if (old) {
          result.merged++;
          const before = observationOf(old, (raw) => normaliseRow(hunt.table ?? '', raw).fields);
          const merged = mergeObservation(before, c.obs);
          if (sameObservation(before, merged)) {
            status = old.status;
          } else {
            const ev = evaluateHit(ctx, hunt.id, merged, old.verdict);
            status = ev.status;
            writer.upsert(toRow(hunt.id, c.key, merged, ev, { ...old, version: old.version + 1, updatedAt: t }));
          }
        } else {
          result.inserted++;
          const ev = evaluateHit(ctx, hunt.id, c.obs, null);
          status = ev.status;
          writer.insert(toRow(hunt.id, c.key, c.obs, ev, { id: uuidv7(), verdict: null, verdictId: null, version: 1, createdAt: t, updatedAt: t }));
        }
        result[status as 'open' | 'flagged' | 'suppressed']++;
      }
      recordAuditSql(sqlite, { actor, action: 'hits.ingest', entityType: 'hunt', entityId: hunt.id,
        after: { ...result, rejected: result.rejected.length } });
      return result;
    });
  }

  return { ingest, prepare, read, huntInfo };
}

function toRow(huntId: string, key: string, o: Observation, ev: { status: string; matches: unknown[] },
  meta: Pick<HitRow, 'id' | 'verdict' | 'verdictId' | 'version' | 'createdAt' | 'updatedAt'>): HitRow {
  const user = o.fields['user.name'];
  const device = o.fields['host.name'];
  return {
    id: meta.id, huntId, key,
    deviceName: typeof device === 'string' ? device.toLowerCase() : null,
    userName: typeof user === 'string' ? user.toLowerCase() : null,
    raw: JSON.stringify(o.raw), reportIds: JSON.stringify(o.reportIds),
    firstSeen: sqlTime(o.firstSeen), lastSeen: sqlTime(o.lastSeen), count: o.count,
    status: ev.status, matches: JSON.stringify(ev.matches), verdict: meta.verdict, verdictId: meta.verdictId,
    version: meta.version, createdAt: meta.createdAt, updatedAt: meta.updatedAt,
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
