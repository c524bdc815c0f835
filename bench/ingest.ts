// npm run bench:ingest — 100,000 netconn rows sent to a running Quell over HTTP, the way users ingest: a streamed
// (chunked) request body to POST /api/hunts/:id/hits, parsed as it arrives, normalised, evaluated against the seed
// rules, written and audited in one transaction. Compared with a floor measured in the same run, right before each
// body: the same rows written into a Hit table (same schema and indexes) in one transaction with nothing else —
// SQLite: a better-sqlite3 prepared-insert loop; PostgreSQL (DATABASE=postgres, a private cluster): COPY FROM STDIN.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SYSTEM_ACTOR } from '../src/core/actor.js';
import { applyMigrations } from '../src/db/migrate.js';
import { applyPostgresMigrations } from '../src/db/migrate-postgres.js';
import { copyLine } from '../src/db/postgres.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { benchServices, benchServicesOnPostgres, netconnRows, NETCONN, rate } from './support.js';
import { send } from './http.js';

const N = Number(process.env.ROWS ?? 100_000);
const rows = netconnRows(N);
const jsonBody = Buffer.from(JSON.stringify(rows));
const ndjsonBody = Buffer.from(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

const POSTGRES = process.env.DATABASE === 'postgres';
const setUp = POSTGRES ? await benchServicesOnPostgres() : await benchServices();
const { services } = setUp;
const user = await services.accounts.createUser(SYSTEM_ACTOR, { username: 'bench', role: 'analyst' });
const { token } = await services.accounts.createToken(SYSTEM_ACTOR, user.id, { name: 'bench' });
const config = { ...loadConfig(), ingestLimit: '1gb', maxIngestRows: 2_000_000 };
const server = createApp(services, config, createLogger('silent')).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as AddressInfo).port;

/** POSTs the body in 64 KB chunks (as a client streaming a file does) on a fresh connection; resolves on the answer. */
async function post(body: Buffer, contentType: string): Promise<{ ms: number; result: { inserted: number; merged: number; rejected: unknown[] } }> {
  const a = await send(false, port, token, 'POST', `/api/hunts/${NETCONN}/hits`, body, contentType);
  if (a.status !== 200) throw new Error(`${a.status}: ${a.error ?? a.text}`);
  return { ms: a.ms, result: JSON.parse(a.text) };
}

interface Floor {
  /** The rows as the floor has always written them: id, key, raw and constants; the indexed sort columns and times left NULL. */
  run(batch: Record<string, unknown>[]): Promise<number>;
  /** Exactly the cells Quell stored for the last body (every column, the same ids), read back untimed, then written timed. */
  runStored(): Promise<number>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const floorKey = (r: Record<string, unknown>) => `${r.DeviceId}|${r.DeviceName}|${r.RemoteUrl}`;

// SQLite floor: the same rows, one prepared INSERT each, one transaction, no parsing or evaluation.
function sqliteFloor(dir: string, direct: BetterSqlite3.Database): Floor {
  const floorDb = new BetterSqlite3(join(dir, 'floor.db'));
  floorDb.pragma('journal_mode = WAL');
  applyMigrations(floorDb);
  floorDb.prepare(`INSERT INTO "Hunt" ("id","name","description","query","groupKeys","tactics","techniques","dataTypes","format","diagnostics","version","createdAt","createdBy","updatedAt","updatedBy")
    VALUES (?, 'n', '', 'q', '[]', '[]', '[]', '[]', 'json', '[]', 1, '', '', '', '')`).run(NETCONN);
  const ins = floorDb.prepare(`INSERT INTO "Hit" ("id","huntId","key","raw","reportIds","count","status","matches","version","createdAt","updatedAt")
    VALUES (?, ?, ?, ?, '[]', 1, 'open', '[]', 1, ?, ?)`);
  return {
    async run(batch) {
      const f0 = performance.now();
      floorDb.transaction(() => {
        const now = new Date().toISOString();
        for (const r of batch) ins.run(randomUUID(), NETCONN, floorKey(r), JSON.stringify(r), now, now);
      })();
      return performance.now() - f0;
    },
    async runStored() {
      const read = direct.prepare('SELECT * FROM "Hit" ORDER BY rowid').raw(true);
      const columns = read.columns().map((c) => `"${c.name}"`);
      const stored = read.all() as unknown[][];
      floorDb.prepare('DELETE FROM "Hit"').run();
      const insStored = floorDb.prepare(`INSERT INTO "Hit" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const f0 = performance.now();
      floorDb.transaction(() => { for (const r of stored) insStored.run(...r); })();
      const ms = performance.now() - f0;
      floorDb.prepare('DELETE FROM "Hit"').run();
      floorDb.exec('VACUUM');
      return ms;
    },
    // Empties both databases back to a fresh file, so every measured run starts from the same state.
    async reset() { for (const d of [floorDb, direct]) { d.prepare('DELETE FROM "Hit"').run(); d.exec('VACUUM'); } },
    async close() { floorDb.close(); },
  };
}


// PostgreSQL floor: COPY FROM STDIN of the same rows into a Hit table of a database of its own in the same cluster,
// one transaction, no parsing or evaluation: the fastest way PostgreSQL takes rows.
async function postgresFloor(cluster: Awaited<ReturnType<typeof benchServicesOnPostgres>>['cluster'], quellUrl: string): Promise<Floor> {
  await cluster.createDatabase('floor');
  const floorPool = new pg.Pool({ connectionString: cluster.url('floor'), max: 2 });
  const quellPool = new pg.Pool({ connectionString: quellUrl, max: 2 });
  await applyPostgresMigrations(floorPool);
  await floorPool.query(`INSERT INTO "Hunt" ("id","name","description","query","groupKeys","tactics","techniques","dataTypes","format","diagnostics","version","createdAt","createdBy","updatedAt","updatedBy")
    VALUES ($1, 'n', '', 'q', '[]', '[]', '[]', '[]', 'json', '[]', 1, now(), '', now(), '')`, [NETCONN]);
  return {
    async run(batch) {
      const client = await floorPool.connect();
      try {
        const f0 = performance.now();
        await client.query('BEGIN');
        const now = new Date().toISOString();
        const lines = function* () {
          for (const r of batch) yield copyLine([randomUUID(), NETCONN, floorKey(r), JSON.stringify(r), '[]', 1, 'open', '[]', 1, now, now]);
        };
        await pipeline(Readable.from(lines()), client.query(copyFrom(
          'COPY "Hit" ("id","huntId","key","raw","reportIds","count","status","matches","version","createdAt","updatedAt") FROM STDIN')));
        await client.query('COMMIT');
        return performance.now() - f0;
      } finally { client.release(); }
    },
    async runStored() {
      const read = await quellPool.query({ text: 'SELECT * FROM "Hit"', rowMode: 'array' });
      const columns = read.fields.map((f) => `"${f.name}"`);
      const stored = read.rows.map((r: unknown[]) => copyLine(r)); // as Quell's own COPY writer sends rows
      await floorPool.query('TRUNCATE "Hit" CASCADE');
      const client = await floorPool.connect();
      try {
        const f0 = performance.now();
        await client.query('BEGIN');
        await pipeline(Readable.from(stored), client.query(copyFrom(`COPY "Hit" (${columns.join(', ')}) FROM STDIN`)));
        await client.query('COMMIT');
        return performance.now() - f0;
      } finally { client.release(); await floorPool.query('TRUNCATE "Hit" CASCADE'); }
    },
    async reset() {
      for (const p of [floorPool, quellPool]) { await p.query('TRUNCATE "Hit" CASCADE'); await p.query('VACUUM ANALYZE "Hit"'); }
    },
    async close() { await floorPool.end(); await quellPool.end(); },
  };
}

const floorDb: Floor = 'cluster' in setUp ? await postgresFloor(setUp.cluster, setUp.url) : sqliteFloor(setUp.dir, setUp.sqlite);
const floor = (batch: Record<string, unknown>[]) => floorDb.run(batch);
const reset = () => floorDb.reset();

// Warm-up (not measured): the first ingest of a process pays for JIT compilation, and would count it against Quell.
const warm = netconnRows(5_000, N);
await floor(warm);
await post(Buffer.from(JSON.stringify(warm)), 'application/json');
await post(Buffer.from(warm.map((r) => JSON.stringify(r)).join('\n')), 'application/x-ndjson');
await reset();

// Each body is measured right after its own floor: on a shared machine the disk and CPU drift within a run, and a
// floor measured a minute earlier is not the same-moment peer of the NDJSON ingest.
const floorMs = await floor(rows);
const first = await post(jsonBody, 'application/json');
const storedMs = await floorDb.runStored();
const again = await post(jsonBody, 'application/json');
await reset();
const ndFloorMs = await floor(rows);
const nd = await post(ndjsonBody, 'application/x-ndjson');
const ndStoredMs = await floorDb.runStored();

const floorRate = rate(N, floorMs), ndFloorRate = rate(N, ndFloorMs), quellRate = rate(N, first.ms), ndRate = rate(N, nd.ms);
console.log(JSON.stringify({ rows: N, bodyMB: +(jsonBody.length / 2 ** 20).toFixed(1),
  json: { inserted: first.result.inserted, rejected: first.result.rejected.length }, reingest: { merged: again.result.merged, inserted: again.result.inserted },
  ndjson: { inserted: nd.result.inserted } }));
console.log(`${POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${new Date().toISOString().slice(0, 16)}Z`);
console.log(`floor  (${POSTGRES ? 'COPY FROM STDIN, 1 txn)         ' : 'better-sqlite3 prepared inserts, 1 txn)'}:          ${floorRate.toLocaleString('en')} rows/s (${floorMs.toFixed(0)} ms), `
  + `before NDJSON ${ndFloorRate.toLocaleString('en')} rows/s (${ndFloorMs.toFixed(0)} ms)`);
console.log(`quell  HTTP, streamed JSON array (parse+normalise+eval+write): ${quellRate.toLocaleString('en')} rows/s (${first.ms.toFixed(0)} ms)`);
console.log(`quell  HTTP, streamed NDJSON:                              ${ndRate.toLocaleString('en')} rows/s (${nd.ms.toFixed(0)} ms)`);
console.log(`quell  HTTP re-ingest of the same body (all merged):       ${rate(N, again.ms).toLocaleString('en')} rows/s (${again.ms.toFixed(0)} ms)`);
console.log(`ratio  quell / floor: JSON ${(quellRate / floorRate * 100).toFixed(0)} %, NDJSON ${(ndRate / ndFloorRate * 100).toFixed(0)} %  `
  + `(target: ${POSTGRES ? '>= 50 % of COPY' : '>= 60 %'})`);
// The same floor writing every cell Quell stored, right after each ingest: the indexed sort columns and times filled in,
// as Quell writes them, rather than NULL.
console.log(`floor  of the cells Quell stored (same ids, every column):  JSON ${rate(N, storedMs).toLocaleString('en')} rows/s (${storedMs.toFixed(0)} ms), `
  + `NDJSON ${rate(N, ndStoredMs).toLocaleString('en')} rows/s (${ndStoredMs.toFixed(0)} ms)`);
console.log(`ratio  quell / floor of the stored cells: JSON ${(storedMs / first.ms * 100).toFixed(0)} %, NDJSON ${(ndStoredMs / nd.ms * 100).toFixed(0)} %`);
server.close();
await services.db.close();
await floorDb.close();
if ('cluster' in setUp) setUp.cluster.stop();
