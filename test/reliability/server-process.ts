import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { send } from '../../bench/http.js';
import { openDatabase } from '../../src/db/database.js';
import { createServices } from '../../src/services.js';
import { createLogger } from '../../src/logger.js';
import { seed } from '../../src/seed.js';
import { SYSTEM_ACTOR, type Role } from '../../src/core/actor.js';

/** Seeds a database and makes a user and token per role (named `<role>`); the database is then served by separate processes. */
export async function prepareDatabase<R extends Role>(url: string, roles: readonly R[]): Promise<Record<R, string>> {
  const db = await openDatabase(url);
  const services = createServices(db, createLogger('silent'));
  await seed(services);
  const tokens = {} as Record<R, string>;
  for (const role of roles) {
    const user = await services.accounts.createUser(SYSTEM_ACTOR, { username: `reliability-${role}`, role });
    tokens[role] = (await services.accounts.createToken(SYSTEM_ACTOR, user.id, { name: 'reliability' })).token;
  }
  await db.close();
  return tokens;
}

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

export interface QuellProcess { child: ChildProcess; port: number; exited: Promise<number | null> }

/** `npm start`'s entry point as a real process on the database: it can be SIGKILLed like a crashed server. */
export async function startQuell(databaseUrl: string): Promise<QuellProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', INGEST_LIMIT: '1gb', INGEST_MAX_ROWS: '2000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.resume(); child.stderr!.resume();
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/health' }, (res) => { res.resume(); resolve(res.statusCode === 200); });
      req.on('error', () => resolve(false)); req.end();
    });
    if (up) return { child, port, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('Quell did not start within 20 s');
}

/** POSTs a body in chunks; resolves with the status (or 'killed' when the server died first). */
export async function postBody(port: number, token: string, path: string, body: Buffer, contentType: string): Promise<{ status: number | 'killed'; text: string }> {
  const a = await send(false, port, token, 'POST', path, body, contentType);
  return { status: a.error ? 'killed' : a.status, text: a.text };
}
