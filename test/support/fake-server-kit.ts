import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request a fake received: what the runner asked for, and with which token. */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** An answer other than the fake's normal one, used once (429 with Retry-After, a 5xx fault). */
export interface Fault {
  status: number;
  retryAfter?: string;
  body?: unknown;
}

/** Switches every fake has: queued faults, holding requests until released, and the record of requests. */
export class FakeSwitches {
  readonly requests: RecordedRequest[] = [];
  private faults: Fault[] = [];
  private gate: Promise<void> | null = null;

  /** The next requests get these answers, in order, before any normal answer. */
  failNext(...faults: Fault[]): void { this.faults.push(...faults); }

  /** Requests wait (a slow query) until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((r) => { release = r; });
    return () => { this.gate = null; release(); };
  }

  /** Records the request and waits while held; answers it with a queued fault (or a 401 without a token) and returns null, else returns the record. */
  async intake(req: IncomingMessage, res: ServerResponse): Promise<RecordedRequest | null> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>; } catch { /* recorded as {} */ }
    const rec = { method: req.method ?? '', path: new URL(req.url ?? '/', 'http://x').pathname, authorization: req.headers.authorization, body };
    this.requests.push(rec);
    if (this.gate) await this.gate;
    const fault = this.faults.shift();
    if (fault) {
      send(res, fault.status, fault.body ?? { error: { code: fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
        message: `fake fault ${fault.status}` } }, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
      return null;
    }
    if (!rec.authorization?.startsWith('Bearer ')) {
      send(res, 401, { error: { code: 'AuthorizationRequired', message: 'no bearer token' } });
      return null;
    }
    return rec;
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
