import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAudit } from '../audit/audit-store.js';
import { AppError } from '../http/errors.js';
import { isoTime } from '../db/time.js';
import { buildWatchlistArmTemplate, buildWatchlistCsv, buildWatchlistPutBody, WatchlistExportError } from './export/index.js';
import type { ListsService } from './lists-service.js';
import { tunedQueryFor } from './tuned-query.js';

export type ExportFormat = 'csv' | 'watchlist-json' | 'arm' | 'kql';

export function createExportService(db: Db, lists: ListsService) {
  async function exportList(actor: Actor, listId: string, format: ExportFormat) {
    const list = lists.getList(listId);
    const rows = lists.exportableEntries(listId);
    let body: string, contentType: string, filename: string;
    try {
      if (format === 'kql') {
        body = list.hunts.map((h) => {
          const t = tunedQueryFor(db, h);
          return list.hunts.length > 1 ? `// ---- hunt ${h} ----\n${t.kql}` : t.kql;
        }).join('\n\n');
        contentType = 'text/plain; charset=utf-8';
        filename = `${list.alias}.kql`;
      } else {
        const csv = buildWatchlistCsv({ keyColumns: list.keyColumns }, rows.map((e) => ({
          searchKey: e.searchKey, values: JSON.parse(e.values) as Record<string, string>, reason: e.reason, addedBy: e.addedBy,
          addedAt: isoTime(e.addedAt)!, expiresAt: isoTime(e.expiresAt),
        })));
        const meta = { alias: list.alias, displayName: list.displayName, description: list.description, labels: ['quell'] };
        if (format === 'csv') { body = csv; contentType = 'text/csv; charset=utf-8'; filename = `${list.alias}.csv`; }
        else if (format === 'watchlist-json') { body = JSON.stringify(buildWatchlistPutBody(meta, csv), null, 2); contentType = 'application/json'; filename = `${list.alias}.watchlist.json`; }
        else { body = JSON.stringify(buildWatchlistArmTemplate(meta, csv), null, 2); contentType = 'application/json'; filename = `${list.alias}.arm.json`; }
      }
    } catch (e) {
      if (e instanceof WatchlistExportError) throw new AppError(422, e.message, { extra: { code: e.code } });
      throw e;
    }
    await db.write((tx) => recordAudit(tx, { actor, action: 'list.export', entityType: 'suppression-list', entityId: listId,
      after: { format, entries: rows.length, bytes: Buffer.byteLength(body) } }));
    return { body, contentType, filename };
  }
  return { exportList, tunedQuery: (huntId: string) => tunedQueryFor(db, huntId) };
}

export type ExportService = ReturnType<typeof createExportService>;
