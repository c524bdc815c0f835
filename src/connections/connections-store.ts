import { insertSql } from '../db/sql.js';
import type { Sqlite } from '../db/database.js';
import { fromJson } from '../db/json.js';
import { isoTime, sqlTime } from '../db/time.js';
import type { Endpoints } from './connection-fields.js';

/** A Connection row as stored; secretCipher never leaves the connections feature. */
export interface ConnectionRow {
  id: string; name: string; tenantId: string; clientId: string; authKind: 'secret' | 'certificate'; secretCipher: string;
  certificateThumbprint: string | null; subscriptionId: string; resourceGroup: string; workspaceName: string; workspaceId: string;
  endpoints: string; createdAt: string; createdBy: string; updatedAt: string; updatedBy: string;
}

const COLUMNS = ['id', 'name', 'tenantId', 'clientId', 'authKind', 'secretCipher', 'certificateThumbprint', 'subscriptionId', 'resourceGroup',
  'workspaceName', 'workspaceId', 'endpoints', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'] as const;

export const connectionEndpoints = (row: ConnectionRow) => fromJson<Endpoints>(row.endpoints, {});

/** What anyone may see of a connection: everything but the secret, which is only said to be set. */
export function connectionView(row: ConnectionRow) {
  return {
    id: row.id, name: row.name, tenantId: row.tenantId, clientId: row.clientId, auth: row.authKind, secret: 'set' as const,
    certificateThumbprint: row.certificateThumbprint, subscriptionId: row.subscriptionId, resourceGroup: row.resourceGroup,
    workspaceName: row.workspaceName, workspaceId: row.workspaceId, endpoints: connectionEndpoints(row),
    createdAt: isoTime(row.createdAt)!, createdBy: row.createdBy, updatedAt: isoTime(row.updatedAt)!, updatedBy: row.updatedBy,
  };
}
export type ConnectionView = ReturnType<typeof connectionView>;

export const findConnection = (sqlite: Sqlite, id: string) =>
  sqlite.prepare('SELECT * FROM "Connection" WHERE "id" = ?').get(id) as ConnectionRow | undefined;

export const findConnectionByName = (sqlite: Sqlite, name: string) =>
  sqlite.prepare('SELECT * FROM "Connection" WHERE "name" = ?').get(name) as ConnectionRow | undefined;

export const allConnections = (sqlite: Sqlite) =>
  sqlite.prepare('SELECT * FROM "Connection" ORDER BY "name"').all() as ConnectionRow[];

export function insertConnection(sqlite: Sqlite, row: ConnectionRow): void {
  sqlite.prepare(insertSql('Connection', COLUMNS))
    .run(...COLUMNS.map((c) => (c === 'createdAt' || c === 'updatedAt' ? sqlTime(row[c]) : row[c])));
}

export function updateConnection(sqlite: Sqlite, row: ConnectionRow): void {
  const cols = COLUMNS.filter((c) => c !== 'id' && c !== 'createdAt' && c !== 'createdBy');
  sqlite.prepare(`UPDATE "Connection" SET ${cols.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`)
    .run(...cols.map((c) => (c === 'updatedAt' ? sqlTime(row[c]) : row[c])), row.id);
}

export const deleteConnection = (sqlite: Sqlite, id: string) => sqlite.prepare('DELETE FROM "Connection" WHERE "id" = ?').run(id);

export const findConnectionsByIds = (sqlite: Sqlite, ids: readonly string[]): Map<string, ConnectionRow> =>
  new Map(ids.map((id) => [id, findConnection(sqlite, id)] as const).filter((e): e is [string, ConnectionRow] => e[1] !== undefined));
