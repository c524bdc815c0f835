// npm run bench:export — a suppression list of 100,000 active entries (issue #14: "watchlist export of 100,000 entries
// < 1 s"), keyed like the seed netconn list (DeviceId|DeviceName|RemoteUrl), so its CSV (~27 MB) is cut into numbered
// watchlists of at most 3.8 MB. Timed, each from SQLite to finished strings:
//   - every part's CSV: reading the active entries, checking every key and row, ordering by SearchKey, cutting, joining;
//   - the same plus every part's watchlist-json body (the Sentinel PUT, rawContent escaped as JSON);
//   - a client fetching every part through the export service, one call per part (each call reads the list again), the
//     manifest (…/export/parts) and the tuned query of the hunt the list serves (it reads the list to name its parts);
//   - floor, in the same run: the same rows read with a prepared SELECT of the same columns and joined into one string,
//     with no checking, quoting, ordering or cutting.
// Entries are inserted straight into SQLite with one prepared INSERT in one transaction (the API would also re-evaluate
// hits and audit each entry, which is not what is measured). Each figure is the median of RUNS timings after one warm-up.
import { insertSql } from '../src/db/sql.js';
import { sqlTime } from '../src/db/time.js';
import { SYSTEM_ACTOR } from '../src/core/actor.js';
import { buildWatchlistPutBody } from '../src/suppression/export/index.js';
import { watchlistSplitOf } from '../src/suppression/export-parts.js';
import { findList } from '../src/suppression/lists-store.js';
import { benchServices, NETCONN } from './support.js';

const N = Number(process.env.ENTRIES ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);

const { services, sqlite } = await benchServices();
const created = await services.lists.createList(SYSTEM_ACTOR, { alias: 'bench-export', displayName: 'Bench export', hunts: [NETCONN],
  keyColumns: ['DeviceId', 'DeviceName', 'RemoteUrl'] });
const list = (await findList(services.db.sql, created.id))!;

const columns = ['id', 'listId', 'searchKey', 'values', 'reason', 'sourceVerdictId', 'status', 'addedBy', 'addedAt', 'expiresAt', 'approvedBy', 'approvedAt'];
const insert = sqlite.prepare(insertSql('SuppressionEntry', columns));
const addedAt = sqlTime(new Date());
const expiresAt = sqlTime(new Date(Date.now() + 90 * 86_400_000));
const hex = (i: number, len: number) => i.toString(16).padStart(len, '0');
const t0 = performance.now();
sqlite.transaction(() => {
  for (let i = 0; i < N; i++) {
    // Inserted in a scrambled order, so ordering by SearchKey is real work.
    const j = (i * 7919) % N;
    const values = { DeviceId: `${hex(j, 8)}${hex(j * 31, 32)}`, DeviceName: `ws-${String(j).padStart(6, '0')}.contoso.local`, RemoteUrl: j % 3 ? 'rl.ammyy.com' : 'www.ammyy.com' };
    insert.run(`bench-${i}`, list.id, `${values.DeviceId}|${values.DeviceName}|${values.RemoteUrl}`, JSON.stringify(values),
      `benign: helpdesk remote support, ticket ${4000 + (j % 900)}`, null, 'active', 'analyst1', addedAt, expiresAt, 'admin', addedAt);
  }
})();
const insertMs = performance.now() - t0;

async function median(fn: () => unknown): Promise<{ ms: number; value: unknown }> {
  let value = await fn();
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    value = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, value };
}

const select = sqlite.prepare(`SELECT "searchKey", "values", "reason", "addedBy", "addedAt", "expiresAt" FROM "SuppressionEntry"
  WHERE "listId" = ? AND "status" = 'active' AND ("expiresAt" IS NULL OR "expiresAt" > ?)`);
type Row = { searchKey: string; values: string; reason: string; addedBy: string; addedAt: string; expiresAt: string | null };
const floor = await median(() => (select.all(list.id, sqlTime(new Date())) as Row[])
  .map((r) => `${r.searchKey},${r.values},${r.reason},${r.addedBy},${r.addedAt},${r.expiresAt ?? ''}`).join('\r\n'));

const csvOnly = await median(() => watchlistSplitOf(services.db.sql, list));
const split = csvOnly.value as Awaited<ReturnType<typeof watchlistSplitOf>>;
const withJson = await median(async () => (await watchlistSplitOf(services.db.sql, list)).parts.map((p) =>
  JSON.stringify(buildWatchlistPutBody({ alias: p.alias, displayName: p.displayName, description: list.description, labels: ['quell'] }, p.csv), null, 2)));
const n = split.parts.length;
// Once, not a median: it is n full passes already.
const t1 = performance.now();
for (let k = 1; k <= n; k++) await services.exports.exportList(SYSTEM_ACTOR, list.id, 'csv', k);
const perPartCalls = performance.now() - t1;
const manifest = await median(() => services.exports.exportParts(list.id));
const tuned = await median(() => services.exports.tunedQuery(NETCONN));

const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const floorMs = floor.ms;
console.log(`${N} entries (${(split.bytes / 1e6).toFixed(1)} MB as one CSV) in ${n} parts (largest ${Math.max(...split.parts.map((p) => p.bytes))} bytes), `
  + `${new Date().toISOString().slice(0, 10)}, Node ${process.version}; inserted in ${s(insertMs)}; median of ${RUNS}`);
console.log('| what | time | / floor |\n|---|---|---|');
console.log(`| floor: SELECT the same columns, join into one string | ${s(floorMs)} | 1.0× |`);
console.log(`| every part's CSV (read, check, order, cut, join) | ${s(csvOnly.ms)} | ${(csvOnly.ms / floorMs).toFixed(1)}× |`);
console.log(`| every part's CSV and watchlist-json | ${s(withJson.ms)} | ${(withJson.ms / floorMs).toFixed(1)}× |`);
console.log(`| exportList once per part (${n} calls, each reads the list, audited) | ${s(perPartCalls)} | ${(perPartCalls / floorMs).toFixed(1)}× |`);
console.log(`| the parts manifest | ${s(manifest.ms)} | ${(manifest.ms / floorMs).toFixed(1)}× |`);
console.log(`| tuned query of the hunt the list serves (reads it to name its parts; analyser included) | ${s(tuned.ms)} | ${(tuned.ms / floorMs).toFixed(1)}× |`);
console.log(`target: every part's CSV and watchlist-json < 1 s: ${withJson.ms < 1000 ? 'met' : 'NOT met'}`);
await services.db.close();
