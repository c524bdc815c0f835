import { LogsQueryClient, LogsQueryResultStatus, type LogsQueryClientOptions, type LogsQuerySuccessfulResult, type LogsTable } from '@azure/monitor-query-logs';
import type { ResolvedConnection } from './connection-resolver.js';
import { logAnalyticsBase, logAnalyticsScope } from './endpoints.js';
import { isoDuration } from './iso-duration.js';
import type { SourceResult } from './query-document.js';
import { isTransientCode, retryAfterMs, SourceError } from './retry.js';

/** Log Analytics' query API limits: 500,000 records or 64 MB of data per result (E_QUERY_RESULT_SET_TOO_LARGE). */
export const LOG_ANALYTICS_ROW_LIMIT = 500_000;

export interface LogAnalyticsOptions {
  /** Extra client options (the tests pass their fake server's CA in `tlsOptions`). */
  clientOptions?: LogsQueryClientOptions;
  /** How long the service may run the query (its default is 3 minutes, its maximum 10). */
  serverTimeoutSeconds?: number;
  rowLimit?: number;
}

interface RestErrorLike { name?: string; message: string; code?: string; statusCode?: number; response?: { headers: { get(n: string): string | undefined } } }

function sourceError(e: unknown): SourceError {
  const r = e as RestErrorLike;
  if (r?.name !== 'RestError') return new SourceError(`Log Analytics query failed: ${(e as Error)?.message ?? String(e)}`);
  if (r.statusCode === undefined) {
    // No answer at all (refused, reset): the network's fault, worth another try.
    return new SourceError(`Log Analytics could not be reached: ${r.message}`, { transient: isTransientCode(r.code) });
  }
  const headers = r.response?.headers;
  return new SourceError(`Log Analytics answered ${r.statusCode}${r.code ? ` ${r.code}` : ''}: ${r.message}`, {
    status: r.statusCode, retryAfterMs: headers ? retryAfterMs((n) => headers.get(n)) : undefined,
  });
}

// Fallback only: the SDK turns datetime cells into Date objects (to the millisecond) and parses dynamic cells.
const cell = (v: unknown) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? null : v.toISOString()) : v);

type WireTable = { name?: string; columns?: { name: string; type: string }[]; rows?: unknown[][] };

/**
 * The rows as the service sent them (Log Analytics datetimes carry 100 ns digits, dynamic cells are JSON text), so a
 * scheduled run stores the same raw rows as POST /hits given the same response; the SDK's result decides the status.
 */
function wire(body: string | undefined): { tables?: WireTable[]; error?: unknown } {
  if (!body) return {};
  try { return JSON.parse(body) as { tables?: WireTable[]; error?: unknown }; } catch { return {}; }
}

/** `error` as the SDK read it; `wireError` as sent (the SDK drops the nested innererror that names the limit). */
function partialNote(error: unknown, wireError: unknown, rows: number): string {
  const text = JSON.stringify([error ?? {}, wireError ?? {}]);
  const e = error as { code?: string; message?: string } | undefined;
  if (/E_QUERY_RESULT_SET_TOO_LARGE|result set has exceeded|record count limit|size limit/i.test(text)) {
    return `Log Analytics cut the result at its limit of ${LOG_ANALYTICS_ROW_LIMIT.toLocaleString('en')} rows or 64 MB `
      + `(E_QUERY_RESULT_SET_TOO_LARGE): ${rows} rows came and were ingested; narrow the query or shorten the lookback for the rest`;
  }
  return `Log Analytics returned a partial result (${e?.code ?? 'PartialError'}: ${e?.message ?? 'no message'}): `
    + `${rows} rows came and were ingested`;
}

/** Runs the query on the connection's workspace through LogsQueryClient, one attempt (the caller retries). */
export async function queryLogAnalytics(conn: ResolvedConnection, query: string, lookbackMinutes: number,
  opts: LogAnalyticsOptions = {}): Promise<SourceResult> {
  const endpoint = logAnalyticsBase(conn.endpoints.logAnalytics);
  let body: string | undefined;
  const client = new LogsQueryClient(conn.credential, {
    endpoint, credentials: { scopes: [logAnalyticsScope(endpoint)] },
    // Quell retries itself, so attempts are counted and Retry-After waits go through its (injectable) clock.
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ position: 'perCall', policy: { name: 'quellWireBody', async sendRequest(request, next) {
      const response = await next(request);
      body = response.bodyAsText ?? undefined;
      return response;
    } } }],
    ...opts.clientOptions,
  });
  const serverTimeout = opts.serverTimeoutSeconds ?? 600;
  let result;
  try {
    result = await client.queryWorkspace(conn.workspaceId, query, { duration: isoDuration(lookbackMinutes) },
      { serverTimeoutInSeconds: serverTimeout, requestOptions: { timeout: (serverTimeout + 60) * 1000 } });
  } catch (e) {
    throw sourceError(e);
  }
  const partial = result.status === LogsQueryResultStatus.PartialFailure ? result : null;
  const tables: LogsTable[] = partial ? partial.partialTables : (result as LogsQuerySuccessfulResult).tables;
  const primary = tables.find((t) => t.name === 'PrimaryResult') ?? tables[0];
  const columns = (primary?.columnDescriptors ?? []).map((c) => ({ name: c.name, type: c.type }));
  const sent = wire(body);
  const table = sent.tables?.find((t) => t.name === primary?.name);
  const rows = table?.rows && table.rows.length === primary?.rows.length ? table.rows : (primary?.rows ?? []).map((r) => r.map(cell));
  const limit = opts.rowLimit ?? LOG_ANALYTICS_ROW_LIMIT;
  const truncationNote = partial ? partialNote(partial.partialError, sent.error, rows.length)
    : rows.length >= limit ? `the result has ${rows.length} rows, Log Analytics' limit: rows beyond it were probably dropped` : null;
  return {
    document: { kind: 'log-analytics', doc: { tables: [{ name: primary?.name ?? 'PrimaryResult', columns, rows }] } },
    rows: rows.length, truncated: truncationNote !== null, truncationNote,
  };
}
