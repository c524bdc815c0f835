import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Page } from '../http/schema-kit.js';

const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const guid = (description: string) => Type.String({ pattern: GUID, description });

const EndpointsBody = Type.Object({
  authorityHost: Type.Optional(Type.String({ maxLength: 500, description: 'Entra ID authority, e.g. https://login.microsoftonline.us' })),
  arm: Type.Optional(Type.String({ maxLength: 500, description: 'Resource Manager, e.g. https://management.usgovcloudapi.net' })),
  logAnalytics: Type.Optional(Type.String({ maxLength: 500, description: 'Log Analytics query API, e.g. https://api.loganalytics.us' })),
  graph: Type.Optional(Type.String({ maxLength: 500, description: 'Microsoft Graph, e.g. https://graph.microsoft.us' })),
}, { additionalProperties: false });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  tenantId: Type.String({ pattern: '^([0-9a-fA-F-]{36}|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)$', description: 'directory (tenant) id or domain' }),
  clientId: guid('application (client) id of the app registration'),
  clientSecret: Type.String({ minLength: 1, maxLength: 1024, description: 'write-only; never returned' }),
  certificate: Type.String({ minLength: 1, maxLength: 65536, description: 'PEM with the private key and the certificate; write-only' }),
  subscriptionId: guid('subscription holding the workspace'),
  resourceGroup: Type.String({ pattern: '^[-\\w.()]{0,89}[-\\w()]$', description: 'resource group of the workspace' }),
  workspaceName: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$', description: 'Log Analytics workspace name' }),
  workspaceId: guid('Log Analytics workspace id (customer id), for queries'),
  endpoints: EndpointsBody,
};

export const ConnectionBody = Type.Object({
  name: fields.name, tenantId: fields.tenantId, clientId: fields.clientId,
  clientSecret: Type.Optional(fields.clientSecret), certificate: Type.Optional(fields.certificate),
  subscriptionId: fields.subscriptionId, resourceGroup: fields.resourceGroup, workspaceName: fields.workspaceName, workspaceId: fields.workspaceId,
  endpoints: Type.Optional(fields.endpoints),
}, { additionalProperties: false, description: 'exactly one of clientSecret and certificate' });
export type ConnectionBody = Static<typeof ConnectionBody>;

/** PUT is partial: what is omitted keeps its value; the secret is kept unless a clientSecret or certificate is sent. */
export const ConnectionPatch = Type.Partial(ConnectionBody, { additionalProperties: false });
export type ConnectionPatch = Static<typeof ConnectionPatch>;

export const ConnectionView = Type.Object({
  id: Type.String(), name: Type.String(), tenantId: Type.String(), clientId: Type.String(),
  auth: Type.Union([Type.Literal('secret'), Type.Literal('certificate')]),
  secret: Type.Literal('set', { description: 'the secret itself is never returned' }),
  certificateThumbprint: Nullable(Type.String()),
  subscriptionId: Type.String(), resourceGroup: Type.String(), workspaceName: Type.String(), workspaceId: Type.String(),
  endpoints: Type.Object({ authorityHost: Type.Optional(Type.String()), arm: Type.Optional(Type.String()),
    logAnalytics: Type.Optional(Type.String()), graph: Type.Optional(Type.String()) }, { additionalProperties: false }),
  createdAt: Type.String({ format: 'date-time' }), createdBy: Type.String(), updatedAt: Type.String({ format: 'date-time' }), updatedBy: Type.String(),
}, { additionalProperties: false });
export const ConnectionPage = Page(ConnectionView);
