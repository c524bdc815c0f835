import { inChunks, insertSql, marks, type Sql } from '../db/sql.js';
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

export const findConnection = (sql: Sql, id: string) => sql.get<ConnectionRow>('SELECT * FROM "Connection" WHERE "id" = ?', [id]);

export const findConnectionByName = (sql: Sql, name: string) => sql.get<ConnectionRow>('SELECT * FROM "Connection" WHERE "name" = ?', [name]);

export const allConnections = (sql: Sql) => sql.all<ConnectionRow>('SELECT * FROM "Connection" ORDER BY "name"');

export async function insertConnection(sql: Sql, row: ConnectionRow): Promise<void> {
  await sql.run(insertSql('Connection', COLUMNS), COLUMNS.map((c) => (c === 'createdAt' || c === 'updatedAt' ? sqlTime(row[c]) : row[c])));
}

export async function updateConnection(sql: Sql, row: ConnectionRow): Promise<void> {
  const cols = COLUMNS.filter((c) => c !== 'id' && c !== 'createdAt' && c !== 'createdBy');
  await sql.run(`UPDATE "Connection" SET ${cols.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`,
    [...cols.map((c) => (c === 'updatedAt' ? sqlTime(row[c]) : row[c])), row.id]);
}

export const deleteConnection = (sql: Sql, id: string) => sql.run('DELETE FROM "Connection" WHERE "id" = ?', [id]);

export async function findConnectionsByIds(sql: Sql, ids: readonly string[]): Promise<Map<string, ConnectionRow>> {
  const rows = await inChunks(ids, (part) => sql.all<ConnectionRow>(`SELECT * FROM "Connection" WHERE "id" IN (${marks(part.length)})`, part));
  return new Map(rows.map((r) => [r.id, r]));
}
