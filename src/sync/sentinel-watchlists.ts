import { SecurityInsights } from '@azure/arm-securityinsight';
import type { AzureClientOptions } from '../connections/azure-options.js';
import type { ResolvedConnection } from '../connections/connection-resolver.js';
import { WATCHLIST_PROVIDER, WATCHLIST_REST_API_VERSION } from '../suppression/export/index.js';
import type { CurrentItem } from './watchlist-diff.js';

/** A call to Sentinel failed (after the SDK's retries); the message says what Sentinel answered and what to check. */
export class SentinelError extends Error {
  constructor(message: string, readonly status: number | undefined) {
    super(message);
  }
}

const HINTS: Record<number, string> = {
  401: 'the app registration could not sign in: check the tenant, client id and secret or certificate',
  403: 'the app registration needs the Microsoft Sentinel Contributor role on the workspace',
  404: 'check the subscription, resource group and workspace name, and that Microsoft Sentinel is enabled on the workspace',
};

function sentinelError(e: unknown, what: string): SentinelError {
  const err = e as { statusCode?: number; code?: string; message?: string; name?: string };
  if (err?.name === 'AbortError') return new SentinelError(`${what}: the sync was stopped`, undefined);
  const status = err?.statusCode;
  const said = [status, err?.code].filter((x) => x !== undefined).join(' ');
  const hint = status !== undefined && HINTS[status] ? ` (${HINTS[status]})` : '';
  return new SentinelError(`${what}: Sentinel answered ${said || 'nothing'}${err?.message ? `: ${err.message}` : ''}${hint}`, status);
}

export interface WatchlistGateway {
  /** The watchlist's identity, or null when the workspace has no watchlist with this alias. */
  getWatchlist(alias: string): Promise<{ provider: string | undefined; itemsSearchKey: string | undefined } | null>;
  /** Creates an empty watchlist keyed on SearchKey (items follow one by one; nothing is uploaded in bulk). */
  createWatchlist(alias: string, meta: { displayName: string; description: string }): Promise<void>;
  /** Every item, following nextLink (skipToken) page by page. */
  listItems(alias: string): Promise<CurrentItem[]>;
  putItem(alias: string, id: string, values: Record<string, string>): Promise<void>;
  /** Deletes an item; one that is already gone counts as deleted (a run that died may have deleted it). */
  deleteItem(alias: string, id: string): Promise<'deleted' | 'gone'>;
}

export interface GatewayOptions extends AzureClientOptions {
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

/** The watchlist calls of @azure/arm-securityinsight for one connection, at the stable api-version Quell exports for. */
export function sentinelWatchlists(conn: ResolvedConnection, opts: GatewayOptions = {}): WatchlistGateway {
  const client = new SecurityInsights(conn.credential, conn.subscriptionId, {
    endpoint: conn.endpoints.arm ?? 'https://management.azure.com',
    apiVersion: WATCHLIST_REST_API_VERSION,
    tlsOptions: opts.tlsOptions,
    // The SDK's retry policy waits out a 429's Retry-After and retries 5xx and dropped connections with backoff.
    retryOptions: { maxRetries: 6, retryDelayInMs: 1000, maxRetryDelayInMs: 60_000, ...opts.retryOptions },
  });
  const rg = conn.resourceGroup, ws = conn.workspaceName;
  const call = { abortSignal: opts.signal, requestOptions: { timeout: opts.requestTimeoutMs ?? 60_000 } };
  return {
    async getWatchlist(alias) {
      try {
        const w = await client.watchlists.get(rg, ws, alias, call);
        return { provider: w.provider, itemsSearchKey: w.itemsSearchKey };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return null;
        throw sentinelError(e, `reading watchlist ${alias} in ${ws}`);
      }
    },
    async createWatchlist(alias, meta) {
      try {
        await client.watchlists.createOrUpdate(rg, ws, alias, {
          // source names where items come from (Quell); sourceType is set because newer api-versions require it, and
          // the only kinds they know are 'Local file' and 'Remote storage' (items here are written one by one, no upload).
          displayName: meta.displayName, description: meta.description, provider: WATCHLIST_PROVIDER, source: 'Quell', sourceType: 'Local file',
          itemsSearchKey: 'SearchKey', labels: ['quell'],
        }, call);
      } catch (e) { throw sentinelError(e, `creating watchlist ${alias} in ${ws}`); }
    },
    async listItems(alias) {
      const items: CurrentItem[] = [];
      try {
        for await (const page of client.watchlistItems.list(rg, ws, alias, call).byPage()) {
          for (const it of page) {
            if (it.isDeleted) continue;
            items.push({ id: it.watchlistItemId ?? it.name ?? '', values: (it.itemsKeyValue ?? {}) as Record<string, unknown> });
          }
        }
      } catch (e) { throw sentinelError(e, `reading the items of watchlist ${alias} in ${ws}`); }
      return items;
    },
    async putItem(alias, id, values) {
      try { await client.watchlistItems.createOrUpdate(rg, ws, alias, id, { itemsKeyValue: values }, call); } catch (e) {
        throw sentinelError(e, `writing item ${id} of watchlist ${alias}`);
      }
    },
    async deleteItem(alias, id) {
      try {
        await client.watchlistItems.delete(rg, ws, alias, id, call);
        return 'deleted';
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return 'gone';
        throw sentinelError(e, `deleting item ${id} of watchlist ${alias}`);
      }
    },
  };
}
