import type { TokenCredential } from '@azure/core-auth';

/** A connection ready to call Azure with: its credential built, its secret decrypted (and held only in memory). */
export interface ResolvedConnection {
  id: string;
  name: string;
  credential: TokenCredential;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  workspaceId: string;
  /** Overrides for sovereign clouds (or tests); absent means the public cloud's endpoint. */
  endpoints: { arm?: string; logAnalytics?: string; graph?: string };
}

/** What other features (watchlist sync, scheduled hunt runs) use to talk to a workspace. A missing id is a 404. */
export interface ConnectionResolver {
  resolve(connectionId: string): Promise<ResolvedConnection>;
}
