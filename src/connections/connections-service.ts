import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Actor } from '../core/actor.js';
import { recordAuditSql } from '../audit/audit-store.js';
import { AppError, badRequest, conflict, notFound, type ProblemFieldError } from '../http/errors.js';
import { listsTargeting } from '../sync/sync-store.js';
import type { AzureOptions } from './azure-options.js';
import { identityCredentials, type ConnectionAuth } from './credential-factory.js';
import type { ConnectionResolver, ResolvedConnection } from './connection-resolver.js';
import { normaliseEndpoints, readCertificatePem } from './connection-fields.js';
import { createSecretBox, SecretKeyError } from './secret-box.js';
import * as store from './connections-store.js';
import type { ConnectionBody, ConnectionPatch } from './schemas.js';

// The kind is bound into the ciphertext too: a secret cannot be replayed as a certificate or onto another row.
const sealContext = (row: Pick<store.ConnectionRow, 'id' | 'authKind'>) => `quell-connection:${row.id}:${row.authKind}`;

/** Key problems are the operator's to fix (set or restore QUELL_SECRET_KEY), not the caller's: a 409 that says how. */
function keyError(e: unknown, what: string): never {
  if (e instanceof SecretKeyError) throw new AppError(409, `${what}: ${e.message}`, { extra: { code: e.code } });
  throw e;
}

export function createConnectionsService(db: Db, opts: { secretKey?: string; azure?: AzureOptions } = {}) {
  const box = createSecretBox(opts.secretKey);
  const credentials = opts.azure?.credentialFactory ?? identityCredentials;
  // Credentials keep their token cache, so one is built per connection version and reused until the row changes.
  const resolved = new Map<string, { updatedAt: string; cipher: string; value: ResolvedConnection }>();

  async function rowOrThrow(id: string): Promise<store.ConnectionRow> {
    const row = await store.findConnection(db.sql, id);
    if (!row) throw notFound(`connection ${id}`);
    return row;
  }

  /** The secret given in a body, checked, or undefined when the body keeps the stored one. */
  function secretOf(body: ConnectionPatch, required: boolean): { auth: ConnectionAuth; thumbprint: string | null } | undefined {
    if (body.clientSecret !== undefined && body.certificate !== undefined) {
      throw badRequest('give either clientSecret or certificate, not both', [{ pointer: '/certificate', message: 'clientSecret is given too' }]);
    }
    if (body.clientSecret !== undefined) return { auth: { kind: 'secret', clientSecret: body.clientSecret }, thumbprint: null };
    if (body.certificate !== undefined) {
      const cert = readCertificatePem(body.certificate);
      if ('problem' in cert) throw badRequest(cert.problem, [{ pointer: '/certificate', message: cert.problem }]);
      return { auth: { kind: 'certificate', certificatePem: body.certificate }, thumbprint: cert.thumbprint };
    }
    if (required) throw badRequest('a connection needs a clientSecret or a certificate', [{ pointer: '/clientSecret', message: 'required (or certificate)' }]);
    return undefined;
  }

  function endpointsOf(body: ConnectionPatch) {
    const errors: ProblemFieldError[] = [];
    const endpoints = normaliseEndpoints(body.endpoints, errors);
    if (errors.length) throw badRequest(errors.map((e) => e.message).join('; '), errors);
    return endpoints;
  }

  function seal(row: store.ConnectionRow, auth: ConnectionAuth): string {
    const plain = auth.kind === 'secret' ? auth.clientSecret : auth.certificatePem;
    try { return box.seal(plain, sealContext(row)); } catch (e) { keyError(e, 'the connection was not saved'); }
  }

  async function create(actor: Actor, body: ConnectionBody) {
    const secret = secretOf(body, true)!;
    const endpoints = endpointsOf(body);
    const now = new Date().toISOString();
    const row: store.ConnectionRow = {
      id: randomUUID(), name: body.name, tenantId: body.tenantId, clientId: body.clientId, authKind: secret.auth.kind, secretCipher: '',
      certificateThumbprint: secret.thumbprint, subscriptionId: body.subscriptionId, resourceGroup: body.resourceGroup,
      workspaceName: body.workspaceName, workspaceId: body.workspaceId, endpoints: JSON.stringify(endpoints),
      createdAt: now, createdBy: actor.name, updatedAt: now, updatedBy: actor.name,
    };
    row.secretCipher = seal(row, secret.auth);
    return db.bulk(async (sql) => {
      if (await store.findConnectionByName(sql, row.name)) throw conflict(`a connection named ${row.name} already exists`);
      await store.insertConnection(sql, row);
      const view = store.connectionView(row);
      await recordAuditSql(sql, { actor, action: 'connection.create', entityType: 'connection', entityId: row.id, after: view });
      return view;
    });
  }

  async function update(actor: Actor, id: string, body: ConnectionPatch) {
    const before = await rowOrThrow(id);
    const secret = secretOf(body, false);
    const row: store.ConnectionRow = {
      ...before,
      name: body.name ?? before.name, tenantId: body.tenantId ?? before.tenantId, clientId: body.clientId ?? before.clientId,
      subscriptionId: body.subscriptionId ?? before.subscriptionId, resourceGroup: body.resourceGroup ?? before.resourceGroup,
      workspaceName: body.workspaceName ?? before.workspaceName, workspaceId: body.workspaceId ?? before.workspaceId,
      endpoints: body.endpoints ? JSON.stringify(endpointsOf(body)) : before.endpoints,
      updatedAt: new Date().toISOString(), updatedBy: actor.name,
    };
    if (secret) {
      row.authKind = secret.auth.kind;
      row.certificateThumbprint = secret.thumbprint;
      row.secretCipher = seal(row, secret.auth);
    }
    return db.bulk(async (sql) => {
      const other = await store.findConnectionByName(sql, row.name);
      if (other && other.id !== id) throw conflict(`a connection named ${row.name} already exists`);
      if (!await store.findConnection(sql, id)) throw notFound(`connection ${id}`);
      await store.updateConnection(sql, row);
      const view = store.connectionView(row);
      // The audit says a new secret was set, never what it is (the views carry only `secret: "set"`).
      await recordAuditSql(sql, { actor, action: 'connection.update', entityType: 'connection', entityId: id,
        before: store.connectionView(before), after: { ...view, secretChanged: secret !== undefined } });
      return view;
    });
  }

  async function remove(actor: Actor, id: string) {
    return db.bulk(async (sql) => {
      const row = await store.findConnection(sql, id);
      if (!row) throw notFound(`connection ${id}`);
      const lists = await listsTargeting(sql, id);
      if (lists.length) {
        throw conflict(`connection ${row.name} is the sync target of ${lists.map((l) => l.alias).join(', ')}; remove it from their targets first`,
          { lists: lists.map((l) => l.listId) });
      }
      await store.deleteConnection(sql, id);
      resolved.delete(id);
      const view = store.connectionView(row);
      await recordAuditSql(sql, { actor, action: 'connection.delete', entityType: 'connection', entityId: id, before: view });
      return view;
    });
  }

  const resolver: ConnectionResolver = {
    async resolve(connectionId) {
      const row = await rowOrThrow(connectionId);
      const cached = resolved.get(row.id);
      if (cached && cached.updatedAt === row.updatedAt && cached.cipher === row.secretCipher) return cached.value;
      let plain: string;
      try { plain = box.open(row.secretCipher, sealContext(row)); } catch (e) { keyError(e, `connection ${row.name} cannot be used`); }
      const endpoints = store.connectionEndpoints(row);
      const auth: ConnectionAuth = row.authKind === 'secret' ? { kind: 'secret', clientSecret: plain } : { kind: 'certificate', certificatePem: plain };
      const value: ResolvedConnection = {
        id: row.id, name: row.name,
        credential: credentials({ tenantId: row.tenantId, clientId: row.clientId, auth, authorityHost: endpoints.authorityHost }),
        subscriptionId: row.subscriptionId, resourceGroup: row.resourceGroup, workspaceName: row.workspaceName, workspaceId: row.workspaceId,
        endpoints: { arm: endpoints.arm, logAnalytics: endpoints.logAnalytics, graph: endpoints.graph },
      };
      resolved.set(row.id, { updatedAt: row.updatedAt, cipher: row.secretCipher, value });
      return value;
    },
  };

  return {
    create, update, remove, resolver,
    list: async () => (await store.allConnections(db.sql)).map(store.connectionView),
    get: async (id: string) => store.connectionView(await rowOrThrow(id)),
    /** Options for the Azure SDK clients other features build (TLS trust and retries; tests point them at a local server). */
    clientOptions: opts.azure?.clientOptions ?? {},
  };
}

export type ConnectionsService = ReturnType<typeof createConnectionsService>;
