import type { ResolvedConnection } from './connection-resolver.js';
import { graphHuntingUrl, graphScope } from './endpoints.js';
import { isoDuration } from './iso-duration.js';
import type { SourceResult } from './query-document.js';
import { isTransientCode, retryAfterMs, SourceError } from './retry.js';

/** Defender advanced hunting returns at most 100,000 rows, and says nothing when it stops there. */
export const DEFENDER_ROW_LIMIT = 100_000;

export interface GraphOptions {
  /** How long one request may take before it is abandoned (advanced hunting itself stops queries after minutes). */
  timeoutMs?: number;
  rowLimit?: number;
}

const keyOf = (o: Record<string, unknown>, name: string) => Object.keys(o).find((k) => k.toLowerCase() === name);

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    if (e?.message) return `${e.code ? `${e.code}: ` : ''}${e.message}`;
  } catch { /* not JSON */ }
  return text.slice(0, 500) || res.statusText;
}

/** POSTs the query to Graph's security/runHuntingQuery with a token for Graph, one attempt (the caller retries). */
export async function runHuntingQuery(conn: ResolvedConnection, query: string, lookbackMinutes: number,
  opts: GraphOptions = {}): Promise<SourceResult> {
  const url = graphHuntingUrl(conn.endpoints.graph);
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 300_000);
  let res: Response;
  try {
    const token = await conn.credential.getToken(graphScope(url), { abortSignal: signal });
    if (!token) throw new Error('the credential returned no token for Graph');
    res = await fetch(url, {
      method: 'POST', signal,
      headers: { Authorization: `Bearer ${token.token}`, 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify({ Query: query, Timespan: isoDuration(lookbackMinutes) }),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    // fetch fails with a TypeError when nothing answered (refused, reset); a timeout or a token error is no network blip.
    const transient = err.name === 'TypeError' && isTransientCode(err.cause?.code);
    throw new SourceError(`Graph could not be reached: ${err.cause?.code ?? err.message}`, { transient });
  }
  if (!res.ok) {
    throw new SourceError(`Graph runHuntingQuery answered ${res.status}: ${await errorText(res)}`, {
      status: res.status, retryAfterMs: retryAfterMs((n) => res.headers.get(n)),
    });
  }
  let doc: unknown;
  try { doc = await res.json(); } catch { throw new SourceError('Graph runHuntingQuery answered 200 with a body that is not JSON'); }
  const resultsKey = doc && typeof doc === 'object' ? keyOf(doc as Record<string, unknown>, 'results') : undefined;
  if (!resultsKey || !Array.isArray((doc as Record<string, unknown>)[resultsKey])) {
    throw new SourceError('Graph runHuntingQuery answered 200 without a results array');
  }
  const rows = ((doc as Record<string, unknown>)[resultsKey] as unknown[]).length;
  const limit = opts.rowLimit ?? DEFENDER_ROW_LIMIT;
  const truncationNote = rows >= limit
    ? `the result has ${rows} rows, Defender advanced hunting's limit of ${limit.toLocaleString('en')}: rows beyond it were dropped; `
      + 'narrow the query or shorten the lookback'
    : null;
  return { document: { kind: 'graph', doc: doc as Record<string, unknown>, resultsKey }, rows, truncated: truncationNote !== null, truncationNote };
}
