// npm run bench:ingest — 100,000 netconn rows through Quell's ingest service (parse, normalise, evaluate against
// the seed rules, write, audit) against a floor measured in the same run: a plain better-sqlite3 prepared-insert
// loop of the same rows into a Hit-shaped table in one transaction.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SYSTEM_ACTOR } from '../src/core/actor.js';
import { applyMigrations } from '../src/db/migrate.js';
import { benchServices, netconnRows, NETCONN, rate } from './support.js';

const N = Number(process.env.ROWS ?? 100_000);
const rows = netconnRows(N);
const body = Buffer.from(JSON.stringify(rows));

const { services, dir } = await benchServices();

// Floor: the same rows, one prepared INSERT each, one transaction, no parsing or evaluation.
const floorDb = new BetterSqlite3(join(dir, 'floor.db'));
floorDb.pragma('journal_mode = WAL');
applyMigrations(floorDb);
floorDb.prepare(`INSERT INTO "Hunt" ("id","name","description","query","groupKeys","tactics","techniques","dataTypes","format","diagnostics","version","createdAt","createdBy","updatedAt","updatedBy")
  VALUES (?, 'n', '', 'q', '[]', '[]', '[]', '[]', 'json', '[]', 1, '', '', '', '')`).run(NETCONN);
const ins = floorDb.prepare(`INSERT INTO "Hit" ("id","huntId","key","raw","reportIds","count","status","matches","version","createdAt","updatedAt")
  VALUES (?, ?, ?, ?, '[]', 1, 'open', '[]', 1, ?, ?)`);
const f0 = performance.now();
floorDb.transaction(() => {
  const now = new Date().toISOString();
  for (const r of rows) ins.run(randomUUID(), NETCONN, `${r.DeviceId}|${r.DeviceName}|${r.RemoteUrl}`, JSON.stringify(r), now, now);
})();
const floorMs = performance.now() - f0;

const q0 = performance.now();
const result = await services.ingest.ingest(SYSTEM_ACTOR, NETCONN, body, 'application/json');
const quellMs = performance.now() - q0;

const q1 = performance.now();
const again = await services.ingest.ingest(SYSTEM_ACTOR, NETCONN, body, 'application/json');
const againMs = performance.now() - q1;

const floorRate = rate(N, floorMs), quellRate = rate(N, quellMs);
console.log(JSON.stringify({ rows: N, result: { ...result, rejected: result.rejected.length }, reingest: { merged: again.merged, inserted: again.inserted } }));
console.log(`floor  (better-sqlite3 prepared inserts, 1 txn): ${floorRate.toLocaleString('en')} rows/s (${floorMs.toFixed(0)} ms)`);
console.log(`quell  ingest (parse+normalise+evaluate+write):   ${quellRate.toLocaleString('en')} rows/s (${quellMs.toFixed(0)} ms)`);
console.log(`quell  re-ingest of the same body (all merged):   ${rate(N, againMs).toLocaleString('en')} rows/s (${againMs.toFixed(0)} ms)`);
console.log(`ratio  quell / floor: ${(quellRate / floorRate * 100).toFixed(0)} %  (target >= 50 %)`);
await services.db.close();
floorDb.close();
