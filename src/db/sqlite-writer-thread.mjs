// The thread behind src/db/background-writer.ts: its own connection to the SQLite file, running batches of one
// prepared statement, each batch one transaction. Plain JavaScript, so it loads the same under tsx, vitest and node
// (a worker does not inherit a TypeScript loader everywhere). The main thread sends a batch only while it holds the
// process's write lock, so this connection never competes with the process's other writers.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

const db = new BetterSqlite3(workerData.path);
// The settings of every Quell connection (src/db/sqlite.ts), but a smaller page cache: this connection walks the
// table in order and needs few pages at a time.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -8192');
db.pragma('foreign_keys = ON');
const statements = new Map();

parentPort.on('message', ({ id, text, lists, close }) => {
  if (close) { db.close(); parentPort.close(); return; }
  try {
    let statement = statements.get(text);
    if (!statement) statements.set(text, statement = db.prepare(text));
    // Which parameter lists changed no row: for a guarded UPDATE, the rows that changed since they were read.
    const unchanged = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < lists.length; i++) if (statement.run(...lists[i]).changes === 0) unchanged.push(i);
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    parentPort.postMessage({ id, unchanged });
  } catch (e) {
    parentPort.postMessage({ id, error: { message: e instanceof Error ? e.message : String(e), code: e?.code } });
  }
});
