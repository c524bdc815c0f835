import { AzureAuthorityHosts, ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';

export type ConnectionAuth = { kind: 'secret'; clientSecret: string } | { kind: 'certificate'; certificatePem: string };

export interface CredentialInput {
  tenantId: string;
  clientId: string;
  auth: ConnectionAuth;
  /** The Entra ID authority (sovereign clouds, or a test server); default https://login.microsoftonline.com. */
  authorityHost?: string;
}

/** Builds the credential a connection signs in with. createServices takes another one, so tests use a local fake. */
export type CredentialFactory = (input: CredentialInput) => TokenCredential;

// MSAL validates an authority against Microsoft's instance-discovery endpoint on the public cloud; an authority it
// cannot know (Azure Stack, a private endpoint, a test server) must skip that lookup or every sign-in fails.
const KNOWN_AUTHORITIES = new Set<string>(Object.values(AzureAuthorityHosts).map((h) => h.toLowerCase()));

/** The production factory: a client secret or certificate credential from @azure/identity. */
export const identityCredentials: CredentialFactory = ({ tenantId, clientId, auth, authorityHost }) => {
  const options = {
    authorityHost,
    disableInstanceDiscovery: authorityHost !== undefined && !KNOWN_AUTHORITIES.has(authorityHost.toLowerCase()),
  };
  return auth.kind === 'secret'
    ? new ClientSecretCredential(tenantId, clientId, auth.clientSecret, options)
    : new ClientCertificateCredential(tenantId, clientId, { certificate: auth.certificatePem }, options);
};
