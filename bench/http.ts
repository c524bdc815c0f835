// The benches' HTTP client: what a user's client does, a body streamed in 64 KB chunks (Transfer-Encoding: chunked).
import { type Agent, request } from 'node:http';

const CHUNK = 64 * 1024;

export interface Answer { status: number; text: string; ms: number; error?: string }

/** One request over the given keep-alive agent (false: a fresh connection); the body, if any, is written in 64 KB chunks. Never rejects. */
export function send(agent: Agent | false, port: number, token: string, method: string, path: string, body?: Buffer, contentType?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (body) headers['Content-Type'] = contentType ?? 'application/json';
    let done = false;
    const finish = (a: Omit<Answer, 'ms'>) => { if (!done) { done = true; resolve({ ...a, ms: performance.now() - t0 }); } };
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', (e) => finish({ status: 0, text: '', error: e.message }));
    });
    req.on('error', (e) => finish({ status: 0, text: '', error: e.message }));
    if (!body) { req.end(); return; }
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const ok = req.write(body.subarray(at, at + CHUNK));
        at += CHUNK;
        if (!ok) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}
