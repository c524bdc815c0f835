// npm run bench:ingest — 100,000 netconn rows sent to a running Quell over HTTP, the way users ingest: a streamed
// (chunked) request body to POST /api/hunts/:id/hits, parsed as it arrives, normalised, evaluated against the seed
// rules, written and audited in one transaction. Compared with a floor measured in the same run: a plain
// better-sqlite3 prepared-insert loop of the same rows into a Hit-shaped table (same indexes) in one transaction, run
// again right before the NDJSON ingest.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SYSTEM_ACTOR } from '../src/core/actor.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { benchServices, netconnRows, NETCONN, rate } from './support.js';

const N = Number(process.env.ROWS ?? 100_000);
const CHUNK = 64 * 1024;
const rows = netconnRows(N);
const jsonBody = Buffer.from(JSON.stringify(rows));
const ndjsonBody = Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

const { services, dir, sqlite: direct } = await benchServices();
const user = await services.accounts.createUser(SYSTEM_ACTOR, { username: 'bench', role: 'analyst' });
const { token } = await services.accounts.createToken(SYSTEM_ACTOR, user.id, { name: 'bench' });
const config = { ...loadConfig(), ingestLimit: '1gb', maxIngestRows: 2_000_000 };
const server = createApp(services, config, createLogger('silent')).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as AddressInfo).port;

/** POSTs the body in 64 KB chunks (Transfer-Encoding: chunked, as a client streaming a file does); resolves on the answer. */
function post(body: Buffer, contentType: string): Promise<{ ms: number; result: { inserted: number; merged: number; rejected: unknown[] } }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/api/hunts/${NETCONN}/hits`, agent: false,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`${res.statusCode}: ${text}`));
        else resolve({ ms: performance.now() - t0, result: JSON.parse(text) });
      });
    });
    req.on('error', reject);
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

// Floor: the same rows, one prepared INSERT each, one transaction, no parsing or evaluation.
const floorDb = new BetterSqlite3(join(dir, 'floor.db'));
floorDb.pragma('journal_mode = WAL');
applyMigrations(floorDb);
floorDb.prepare(`INSERT INTO "Hunt" ("id","name","description","query","groupKeys","tactics","techniques","dataTypes","format","diagnostics","version","createdAt","createdBy","updatedAt","updatedBy")
  VALUES (?, 'n', '', 'q', '[]', '[]', '[]', '[]', 'json', '[]', 1, '', '', '', '')`).run(NETCONN);
const ins = floorDb.prepare(`INSERT INTO "Hit" ("id","huntId","key","raw","reportIds","count","status","matches","version","createdAt","updatedAt")
  VALUES (?, ?, ?, ?, '[]', 1, 'open', '[]', 1, ?, ?)`);
const floor = (batch: Record<string, unknown>[]) => {
  const f0 = performance.now();
  floorDb.transaction(() => {
    const now = new Date().toISOString();
    for (const r of batch) ins.run(randomUUID(), NETCONN, `${r.DeviceId}|${r.DeviceName}|${r.RemoteUrl}`, JSON.stringify(r), now, now);
  })();
  return performance.now() - f0;
};
/** Empties both databases back to a fresh file, so every measured run starts from the same state. */
const reset = () => {
  for (const d of [floorDb, direct]) { d.prepare('DELETE FROM "Hit"').run(); d.exec('VACUUM'); }
};

// Warm-up (not measured): the first ingest of a process pays for JIT compilation, and would count it against Quell.
const warm = netconnRows(5_000, N);
floor(warm);
await post(Buffer.from(JSON.stringify(warm)), 'application/json');
await post(Buffer.from(warm.map((r) => JSON.stringify(r)).join('\n')), 'application/x-ndjson');
reset();

// Each body is measured right after its own floor: on a shared machine the disk and CPU drift within a run, and a
// floor measured a minute earlier is not the same-moment peer of the NDJSON ingest.
const floorMs = floor(rows);
const first = await post(jsonBody, 'application/json');
const again = await post(jsonBody, 'application/json');
reset();
const ndFloorMs = floor(rows);
const nd = await post(ndjsonBody, 'application/x-ndjson');

const floorRate = rate(N, floorMs), ndFloorRate = rate(N, ndFloorMs), quellRate = rate(N, first.ms), ndRate = rate(N, nd.ms);
console.log(JSON.stringify({ rows: N, bodyMB: +(jsonBody.length / 2 ** 20).toFixed(1),
  json: { inserted: first.result.inserted, rejected: first.result.rejected.length }, reingest: { merged: again.result.merged, inserted: again.result.inserted },
  ndjson: { inserted: nd.result.inserted } }));
console.log(`floor  (better-sqlite3 prepared inserts, 1 txn):          ${floorRate.toLocaleString('en')} rows/s (${floorMs.toFixed(0)} ms), `
  + `before NDJSON ${ndFloorRate.toLocaleString('en')} rows/s (${ndFloorMs.toFixed(0)} ms)`);
console.log(`quell  HTTP, streamed JSON array (parse+normalise+eval+write): ${quellRate.toLocaleString('en')} rows/s (${first.ms.toFixed(0)} ms)`);
console.log(`quell  HTTP, streamed NDJSON:                              ${ndRate.toLocaleString('en')} rows/s (${nd.ms.toFixed(0)} ms)`);
console.log(`quell  HTTP re-ingest of the same body (all merged):       ${rate(N, again.ms).toLocaleString('en')} rows/s (${again.ms.toFixed(0)} ms)`);
console.log(`ratio  quell / floor: JSON ${(quellRate / floorRate * 100).toFixed(0)} %, NDJSON ${(ndRate / ndFloorRate * 100).toFixed(0)} %  (target >= 60 %)`);
server.close();
await services.db.close();
floorDb.close();
