// A local stand-in for Azure Resource Manager's Microsoft.SecurityInsights watchlist API, on https://127.0.0.1:<port>
// (the SDK's bearer-token policy refuses plain http; tests trust test/fixtures/tls/localhost-cert.pem). Faults can be
// switched on: 429 with Retry-After, 5xx, slow answers, and connections dropped after N item writes.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeArmState, itemBody, watchlistBody, workspacePath, type FakeItem } from './fake-arm-state.js';

export type RequestKind = 'watchlist.list' | 'watchlist.get' | 'watchlist.put' | 'watchlist.delete' | 'item.list' | 'item.get' | 'item.put' | 'item.delete';
interface Fault { kinds?: RequestKind[]; remaining: number; status: number; retryAfter?: string }

const TLS = new URL('../fixtures/tls/', import.meta.url);
export const FAKE_ARM_CA = readFileSync(new URL('localhost-cert.pem', TLS), 'utf8');
const PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/watchlists(?:\/([^/]+)(?:\/watchlistItems(?:\/([^/]+))?)?)?\/?$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const armError = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
};

export interface FakeArm {
  url: string;
  state: FakeArmState;
  /** Requests by kind, answered or not (faults included); `status` counts answers by HTTP status. */
  counts: Record<RequestKind, number> & { status: Record<number, number> };
  apiVersions: Set<string>;
  tokens: Set<string>;
  pageSize: number;
  /** Item ids the list answer leaves out, as Sentinel's listing may lag behind a write it acknowledged. */
  hiddenFromList: Set<string>;
  /** Milliseconds to wait before answering each request. */
  delayMs: number;
  fail(times: number, status: number, opts?: { kinds?: RequestKind[]; retryAfter?: string }): void;
  /** After `n` more successful item writes, every request has its connection destroyed until heal(). */
  dropAfterItemWrites(n: number): void;
  /** Ends every fault: injected answers, dropped connections, delays. */
  heal(): void;
  /** Called after each successful item write with the running total of item writes. */
  onItemWrite?: (total: number) => void;
  itemWrites: number;
  items(base: string, alias: string): FakeItem[];
  resetCounts(): void;
  close(): Promise<void>;
}

const zeroCounts = () => ({ 'watchlist.list': 0, 'watchlist.get': 0, 'watchlist.put': 0, 'watchlist.delete': 0, 'item.list': 0, 'item.get': 0,
  'item.put': 0, 'item.delete': 0, status: {} as Record<number, number> });

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  try { return JSON.parse(Buffer.concat(parts).toString('utf8') || 'null'); } catch { return null; }
}

export async function startFakeArm(opts: { pageSize?: number } = {}): Promise<FakeArm> {
  const faults: Fault[] = [];
  let dropIn: number | null = null;
  let dropping = false;
  const fake = {
    url: '', state: new FakeArmState(), counts: zeroCounts(), apiVersions: new Set<string>(), tokens: new Set<string>(),
    pageSize: opts.pageSize ?? 50, delayMs: 0, hiddenFromList: new Set<string>(), itemWrites: 0, onItemWrite: undefined as FakeArm['onItemWrite'],
    fail: (times: number, status: number, o: { kinds?: RequestKind[]; retryAfter?: string } = {}) => { faults.push({ remaining: times, status, ...o }); },
    dropAfterItemWrites: (n: number) => { dropIn = n; },
    heal: () => { dropping = false; dropIn = null; faults.length = 0; fake.delayMs = 0; },
    items: (base: string, alias: string) => [...(fake.state.watchlist(base, alias)?.items.values() ?? [])],
    resetCounts: () => { fake.counts = zeroCounts(); },
  } as Omit<FakeArm, 'close'> & { close?: FakeArm['close'] };

  const wrote = () => {
    fake.itemWrites++;
    if (dropIn !== null && --dropIn <= 0) { dropping = true; dropIn = null; }
    fake.onItemWrite?.(fake.itemWrites);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', fake.url);
    const m = PATH.exec(decodeURIComponent(url.pathname));
    const method = req.method ?? 'GET';
    const verb = method.toLowerCase();
    const k = (!m ? undefined
      : m[5] ? `item.${verb}`
        : m[4] && /\/watchlistItems\/?$/i.test(url.pathname) ? (verb === 'get' ? 'item.list' : undefined)
          : m[4] ? `watchlist.${verb}`
            : verb === 'get' ? 'watchlist.list' : undefined) as RequestKind | undefined;
    if (k && k in fake.counts) fake.counts[k]++;
    const answer = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      fake.counts.status[status] = (fake.counts.status[status] ?? 0) + 1;
      return (answer as (...a: unknown[]) => ServerResponse)(status, ...rest);
    }) as typeof res.writeHead;
    if (dropping) { req.socket.destroy(); return; }
    if (fake.delayMs) await new Promise((r) => setTimeout(r, fake.delayMs));
    if (!m || !k) return armError(res, 404, 'InvalidResourceType', `no route for ${method} ${url.pathname}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return armError(res, 401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
    fake.tokens.add(token);
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) return armError(res, 400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    fake.apiVersions.add(apiVersion);
    const fault = faults.find((f) => f.remaining > 0 && (!f.kinds || f.kinds.includes(k)));
    if (fault) {
      fault.remaining--;
      return armError(res, fault.status, fault.status === 429 ? 'TooManyRequests' : 'InternalServerError', 'injected fault',
        fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {});
    }
    const base = workspacePath(m[1]!, m[2]!, m[3]!);
    const alias = m[4];
    const send = (status: number, body?: unknown) => {
      if (body === undefined) { res.writeHead(status); res.end(); return; }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    // Both lists page as ARM does: `pageSize` per answer and a nextLink carrying $skipToken (here: the offset, base64url).
    const paged = <T>(all: T[], body: (x: T) => unknown) => {
      const from = Number(Buffer.from(url.searchParams.get('$skipToken') ?? 'MA', 'base64url').toString() || 0);
      const next = from + fake.pageSize < all.length
        ? `${fake.url}${url.pathname}?api-version=${apiVersion}&$skipToken=${Buffer.from(String(from + fake.pageSize)).toString('base64url')}` : undefined;
      return send(200, { value: all.slice(from, from + fake.pageSize).map(body), ...(next ? { nextLink: next } : {}) });
    };
    if (k === 'watchlist.list') return paged(fake.state.allWatchlists(base), (w) => watchlistBody(base, w));
    const w = alias ? fake.state.watchlist(base, alias) : undefined;
    if (k === 'watchlist.get') return w ? send(200, watchlistBody(base, w)) : armError(res, 404, 'NotFound', `Watchlist ${alias} not found`);
    if (k === 'watchlist.put') {
      const props = ((await readJson(req))?.properties ?? {}) as Record<string, unknown>;
      const missing = ['displayName', 'provider', 'itemsSearchKey'].filter((p) => typeof props[p] !== 'string');
      if (missing.length) return armError(res, 400, 'BadRequest', `properties ${missing.join(', ')} are required`);
      const r = fake.state.putWatchlist(base, alias!, props);
      return send(r.created ? 201 : 200, watchlistBody(base, r.w));
    }
    if (k === 'watchlist.delete') return send(fake.state.deleteWatchlist(base, alias!) ? 200 : 204);
    if (!w) return armError(res, 404, 'NotFound', `Watchlist ${alias} not found`);
    if (k === 'item.list') return paged([...w.items.values()].filter((it) => !fake.hiddenFromList.has(it.id)), (it) => itemBody(base, w.alias, it));
    const id = m[5]!;
    if (!GUID.test(id)) return armError(res, 400, 'BadRequest', `watchlist item id ${id} is not a GUID`);
    if (k === 'item.get') {
      const it = w.items.get(id.toLowerCase());
      return it ? send(200, itemBody(base, w.alias, it)) : armError(res, 404, 'NotFound', `Watchlist item ${id} not found`);
    }
    if (k === 'item.put') {
      const kv = ((await readJson(req))?.properties as { itemsKeyValue?: unknown } | undefined)?.itemsKeyValue;
      if (!kv || typeof kv !== 'object') return armError(res, 400, 'BadRequest', 'properties.itemsKeyValue is required');
      const r = fake.state.putItem(w, id, kv as Record<string, unknown>);
      wrote();
      return send(r.created ? 201 : 200, itemBody(base, w.alias, r.item));
    }
    const existed = w.items.delete(id.toLowerCase());
    if (existed) wrote();
    return send(existed ? 200 : 204);
  }

  const server: Server = createServer({ cert: FAKE_ARM_CA, key: readFileSync(new URL('localhost-key.pem', TLS)) }, (req, res) => {
    handle(req, res).catch((e) => { if (!res.headersSent) armError(res, 500, 'InternalServerError', String(e)); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake as FakeArm;
}
