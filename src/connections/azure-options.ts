import type { SecurityInsightsOptionalParams } from '@azure/arm-securityinsight';
import type { CredentialFactory } from './credential-factory.js';

/** Pipeline options every Azure SDK client Quell builds gets: TLS trust (a test server's certificate) and retries. */
export interface AzureClientOptions {
  tlsOptions?: SecurityInsightsOptionalParams['tlsOptions'];
  retryOptions?: SecurityInsightsOptionalParams['retryOptions'];
}

/** How Quell reaches Azure; createServices takes these so tests can run against local fakes. */
export interface AzureOptions {
  /** Default: @azure/identity's client secret / certificate credentials. */
  credentialFactory?: CredentialFactory;
  clientOptions?: AzureClientOptions;
}
