import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { AppError, badRequest } from '../http/errors.js';
import { foldAscii } from '../language/index.js';
import { allLists, type ListRecord } from './lists-store.js';
import {
  buildWatchlistArmTemplate, buildWatchlistArmTemplateOfParts, buildWatchlistPutBody, MAX_ARM_TEMPLATE_BYTES, MAX_RAW_CONTENT_BYTES,
  WatchlistExportError, type WatchlistMeta, type WatchlistPart, type WatchlistSplit,
} from './export/index.js';
import { watchlistSplitOf } from './export-parts.js';
import type { ListsService } from './lists-service.js';
import { tunedQueryFor } from './tuned-query.js';

export type ExportFormat = 'csv' | 'watchlist-json' | 'arm' | 'kql';
type WatchlistFormat = Exclude<ExportFormat, 'kql'>;

interface ExportFile { body: string; contentType: string; filename: string; headers: Record<string, string>;
  audit: { entries: number; part?: number; parts?: number } }

const exportUrl = (listId: string, format: string, part?: number) =>
  `/api/suppression-lists/${encodeURIComponent(listId)}/export?format=${format}${part ? `&part=${part}` : ''}`;
const partsUrl = (listId: string) => `/api/suppression-lists/${encodeURIComponent(listId)}/export/parts`;

/**
 * A digest of every part, sent with each: a client fetches the parts one request at a time, and an entry added or
 * revoked in between shifts the cut, so parts of two states could be deployed together (an entry in neither, or in
 * two). Equal digests on every part it fetched mean one state; a different one means fetch again.
 */
function setDigest(split: WatchlistSplit): string {
  const hash = createHash('sha256');
  for (const p of split.parts) hash.update(`${p.alias}\n${p.bytes}\n`).update(p.csv);
  return hash.digest('base64url').slice(0, 32);
}

const metaOf = (list: ListRecord, part: WatchlistPart): WatchlistMeta =>
  ({ alias: part.alias, displayName: part.displayName, description: list.description, labels: ['quell'] });

/** One part's file in a watchlist format; headers say which part of how many, so a client learns n from any part. */
function partFile(list: ListRecord, split: WatchlistSplit, part: WatchlistPart, format: WatchlistFormat): ExportFile {
  const meta = metaOf(list, part);
  const headers = { 'Quell-Watchlist-Part': String(part.part), 'Quell-Watchlist-Parts': String(split.parts.length), 'Quell-Watchlist-Alias': part.alias,
    'Quell-Watchlist-Set': setDigest(split) };
  const audit = { entries: part.entryCount, part: part.part, parts: split.parts.length };
  if (format === 'csv') return { body: part.csv, contentType: 'text/csv; charset=utf-8', filename: `${part.alias}.csv`, headers, audit };
  if (format === 'watchlist-json') {
    return { body: JSON.stringify(buildWatchlistPutBody(meta, part.csv), null, 2), contentType: 'application/json', filename: `${part.alias}.watchlist.json`, headers, audit };
  }
  return { body: JSON.stringify(buildWatchlistArmTemplate(meta, part.csv), null, 2), contentType: 'application/json', filename: `${part.alias}.arm.json`, headers, audit };
}

/**
 * A list in several watchlists asked for without `part`. ARM can deploy them all from one template with a resource per
 * part, so `arm` answers that when it stays within ARM's 4 MB (only a list just over 3.8 MB does: rawContent grows
 * when written as JSON, and two full parts are 7.6 MB). Otherwise, and for csv and watchlist-json (one file is one
 * watchlist), the answer is a 422 saying how many parts there are and how to ask for each.
 */
function wholeListFile(list: ListRecord, split: WatchlistSplit, format: WatchlistFormat): ExportFile {
  const n = split.parts.length;
  let armNote = '';
  if (format === 'arm') {
    // The rawContent alone is a lower bound of the template's size: no need to build 8 MB of JSON to refuse it.
    const csvBytes = split.parts.reduce((sum, p) => sum + p.bytes, 0);
    const body = csvBytes <= MAX_ARM_TEMPLATE_BYTES
      ? JSON.stringify(buildWatchlistArmTemplateOfParts(split.parts.map((p) => ({ meta: metaOf(list, p), csv: p.csv }))), null, 2) : null;
    const bytes = body === null ? csvBytes : Buffer.byteLength(body);
    if (body !== null && bytes <= MAX_ARM_TEMPLATE_BYTES) {
      return { body, contentType: 'application/json', filename: `${list.alias}.arm.json`, headers: { 'Quell-Watchlist-Parts': String(n), 'Quell-Watchlist-Set': setDigest(split) },
        audit: { entries: split.entryCount, parts: n } };
    }
    armNote = ` One ARM template deploying all ${n} would be ${body === null ? 'more than ' : ''}${bytes} bytes, over ARM's ${MAX_ARM_TEMPLATE_BYTES} (4 MB), so each part has its own.`;
  }
  const aliases = split.parts.map((p) => p.alias);
  throw new AppError(422, `the watchlist CSV of ${list.alias} is ${split.bytes} bytes (${split.entryCount} entries), more than the ${MAX_RAW_CONTENT_BYTES} `
    + `bytes (3.8 MB) of rawContent Sentinel accepts in one watchlist, so it is exported as ${n} numbered watchlists (${aliases.join(', ')}).${armNote} `
    + `Ask for each with part=1 to part=${n} (${exportUrl(list.id, format, 1)}), or GET ${partsUrl(list.id)} for their aliases, entry counts and sizes.`,
  { extra: { code: 'watchlist-parts', parts: n, aliases, bytes: split.bytes, limit: MAX_RAW_CONTENT_BYTES, partsUrl: partsUrl(list.id) } });
}

export function createExportService(db: Db, lists: ListsService) {
  /**
   * The list's watchlists, refused with a 422 when a row cannot be exported, or a 409 when a part's alias is another
   * list's: two lists would then write one Sentinel watchlist (and exclude each other's keys in the tuned query).
   * Aliases are compared ASCII-case-insensitively, the safe reading of a rule Sentinel does not document.
   */
  async function splitOf(list: ListRecord): Promise<WatchlistSplit> {
    let split: WatchlistSplit;
    try {
      split = await watchlistSplitOf(db.sql, list);
    } catch (e) {
      if (e instanceof WatchlistExportError) throw new AppError(422, e.message, { extra: { code: e.code } });
      throw e;
    }
    if (split.parts.length > 1) {
      const others = new Map((await allLists(db.sql)).filter((l) => l.id !== list.id).map((l) => [foldAscii(l.alias), l.alias]));
      const clash = split.parts.find((p) => others.has(foldAscii(p.alias)));
      if (clash) {
        throw new AppError(409, `part ${clash.part} of ${list.alias} would be the watchlist ${clash.alias}, which is the alias of another suppression list; `
          + 'rename one of the lists (a new list with another alias) before exporting', { extra: { code: 'part-alias-taken', alias: clash.alias } });
      }
    }
    return split;
  }

  async function exportList(actor: Actor, listId: string, format: ExportFormat, part?: number) {
    const list = await lists.listOrThrow(db.sql, listId);
    let file: ExportFile;
    if (format === 'kql') {
      if (part !== undefined) {
        throw badRequest('part is for the watchlist formats (csv, watchlist-json, arm); the tuned query already excludes every part',
          [{ pointer: '/part', message: 'not allowed with format=kql' }]);
      }
      const { hunts } = list;
      const queries: string[] = [];
      for (const h of hunts) {
        const t = await tunedQueryFor(db, h);
        queries.push(hunts.length > 1 ? `// ---- hunt ${h} ----\n${t.kql}` : t.kql);
      }
      file = { body: queries.join('\n\n'), contentType: 'text/plain; charset=utf-8', filename: `${list.alias}.kql`, headers: {},
        audit: { entries: (await lists.exportableEntries(listId)).length } };
    } else {
      const split = await splitOf(list);
      const n = split.parts.length;
      if (part !== undefined && part > n) {
        throw new AppError(404, `${list.alias} is exported as ${n} watchlist${n === 1 ? '' : 's'}; there is no part ${part} (ask for part=1${n > 1 ? ` to part=${n}` : ''})`,
          { extra: { code: 'no-such-part', parts: n } });
      }
      file = part === undefined && n > 1 ? wholeListFile(list, split, format) : partFile(list, split, split.parts[(part ?? 1) - 1]!, format);
    }
    await db.write((tx) => recordAudit(tx, { actor, action: 'list.export', entityType: 'suppression-list', entityId: listId,
      after: { format, ...file.audit, bytes: Buffer.byteLength(file.body) } }));
    return file;
  }

  /** What a client needs to fetch every part: aliases, display names, entry counts and sizes. */
  async function exportParts(listId: string) {
    const list = await lists.listOrThrow(db.sql, listId);
    const split = await splitOf(list);
    return {
      listId: list.id, alias: list.alias, entryCount: split.entryCount, bytes: split.bytes, limitBytes: MAX_RAW_CONTENT_BYTES, set: setDigest(split),
      parts: split.parts.map((p) => ({ part: p.part, alias: p.alias, displayName: p.displayName, entryCount: p.entryCount, bytes: p.bytes,
        csv: exportUrl(list.id, 'csv', p.part), watchlistJson: exportUrl(list.id, 'watchlist-json', p.part), arm: exportUrl(list.id, 'arm', p.part) })),
      notes: split.notes,
    };
  }

  return { exportList, exportParts, tunedQuery: (huntId: string) => tunedQueryFor(db, huntId) };
}

export type ExportService = ReturnType<typeof createExportService>;
