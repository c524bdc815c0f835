// The thread behind src/db/sqlite-thread.ts: a second connection to the SQLite file that runs the statements the main
// thread sends, in the order sent. Plain JavaScript, so it loads the same under tsx, vitest and node (a worker does not
// inherit a TypeScript loader everywhere). The main thread sends work only while it holds the process's write lock,
// so this connection never competes with the process's other writers. Parameters arrive bound (sqlite.ts `bind`).
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

const db = new BetterSqlite3(workerData.path);
for (const p of workerData.pragmas) db.pragma(p); // every Quell connection's settings (sqlite.ts CONNECTION_PRAGMAS)

const statements = new Map();
function prepare(text) {
  let s = statements.get(text);
  if (!s) {
    if (statements.size >= 1_000) statements.clear();
    statements.set(text, s = db.prepare(text));
  }
  return s;
}

// A streamed insert that failed: the error every later call of the transaction answers, until it is rolled back.
let failure = null;
let streamed = 0;

const ops = {
  begin() { failure = null; streamed = 0; db.exec('BEGIN IMMEDIATE'); },
  commit() {
    if (failure) throw failure;
    db.exec('COMMIT');
  },
  rollback() { failure = null; if (db.inTransaction) db.exec('ROLLBACK'); },
  all: ({ text, params }) => { const s = prepare(text); return s.reader ? s.raw(false).all(...params) : (s.run(...params), []); },
  cells: ({ text, params }) => { const s = prepare(text); return s.reader ? s.raw(true).all(...params) : (s.run(...params), []); },
  get: ({ text, params }) => prepare(text).raw(false).get(...params),
  run: ({ text, params }) => prepare(text).run(...params).changes,
  runMany({ text, lists }) {
    const s = prepare(text);
    let n = 0;
    for (const p of lists) n += s.run(...p).changes;
    return n;
  },
  // Rows of an insert stream: the main thread does not wait for the answer, it goes on making the next rows; a failed
  // row is kept and answered by streamEnd or commit.
  stream({ text, lists }) {
    if (failure) return;
    const s = prepare(text);
    try { for (const p of lists) streamed += s.run(...p).changes; } catch (e) { failure = e; }
  },
  streamEnd() { if (failure) throw failure; const n = streamed; streamed = 0; return n; },
  // Its own transaction: each list runs the statement once; answers the positions of the lists that changed no row.
  batch({ text, lists }) {
    const s = prepare(text);
    const unchanged = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < lists.length; i++) if (s.run(...lists[i]).changes === 0) unchanged.push(i);
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    return unchanged;
  },
};

parentPort.on('message', (m) => {
  if (m.op === 'close') { db.close(); parentPort.close(); return; }
  try {
    const value = ops[m.op](m);
    if (m.id !== undefined) parentPort.postMessage({ id: m.id, value });
  } catch (e) {
    if (m.id !== undefined) parentPort.postMessage({ id: m.id, error: { message: e instanceof Error ? e.message : String(e), code: e?.code, stack: e?.stack } });
  }
});
