import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { NETCONN, netconnRow } from '../support/rows.js';
import { postBody, prepareDatabase, startQuell } from './server-process.js';

// SIGKILL at five moments of one large ingest. Full size with RELIABILITY_FULL=1 (npm run test:reliability).
const ROWS = Number(process.env.RELIABILITY_FULL ? 200_000 : 30_000);
const MOMENTS = [0.1, 0.3, 0.5, 0.7, 0.9];

function inspect(path: string) {
  const db = new BetterSqlite3(path);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check;
    const hits = (db.prepare('SELECT COUNT(*) AS n FROM "Hit" WHERE "huntId" = ?').get(NETCONN) as { n: number }).n;
    const batches = (db.prepare(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'hits.ingest'`).get() as { n: number }).n;
    return { integrity, hits, batches };
  } finally { db.close(); }
}

describe(`a server killed mid-ingest of ${ROWS.toLocaleString('en')} rows`, () => {
  let dir: string, template: string, token: string, fullMs: number;
  const body = Buffer.from(`${Array.from({ length: ROWS }, (_, i) => JSON.stringify(netconnRow({ DeviceId: `kill-${i}`, DeviceName: `k-${i}` }))).join('\n')}\n`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quell-kill-'));
    template = join(dir, 'template.db');
    token = await prepareDatabase(template);
    // How long one whole ingest takes here: the kill moments are fractions of it, so they fall in parsing and in writing.
    const path = join(dir, 'reference.db');
    copyFileSync(template, path);
    const q = await startQuell(path);
    const t0 = performance.now();
    const res = await postBody(q.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
    fullMs = performance.now() - t0;
    expect(res.status).toBe(200);
    q.child.kill('SIGTERM');
    await q.exited;
  }, 300_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('when it is killed while the batch\'s transaction is being written (the WAL is growing), then nothing of the batch is there', async () => {
    const path = join(dir, 'kill-wal.db');
    copyFileSync(template, path);
    const q = await startQuell(path);
    const wal = `${path}-wal`;
    const size = () => (existsSync(wal) ? statSync(wal).size : 0);
    const start = size();
    const sent = postBody(q.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
    // Pages of the uncommitted transaction spill into the WAL as it grows past the page cache: kill in the middle of that.
    for (let i = 0; i < 2_000 && size() < start + 4 * 1024 * 1024; i++) await new Promise((r) => setTimeout(r, 2));
    const walAtKill = size();
    q.child.kill('SIGKILL');
    await q.exited;
    await sent;
    const after = inspect(path);
    console.log(`killed with the WAL at ${walAtKill} bytes (was ${start}): ${after.hits} hits committed`);
    expect(walAtKill).toBeGreaterThan(start);
    expect(after).toMatchObject({ integrity: 'ok', batches: after.hits === ROWS ? 1 : 0 });
    expect([0, ROWS]).toContain(after.hits);
  }, 300_000);

  for (const [k, moment] of MOMENTS.entries()) {
    it(`when it is killed at ${moment * 100} % of an ingest, then the file is intact, the batch is all or nothing, and sending it again gives one copy`, async () => {
      const path = join(dir, `kill-${k}.db`);
      copyFileSync(template, path);
      const q = await startQuell(path);
      const sent = postBody(q.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
      await new Promise((r) => setTimeout(r, fullMs * moment));
      q.child.kill('SIGKILL');
      await q.exited;
      const answer = await sent;
      const after = inspect(path);
      expect(after.integrity).toBe('ok');
      // All or nothing: either the batch committed (and its audit event with it) or nothing of it is there.
      expect([0, ROWS]).toContain(after.hits);
      expect(after.batches).toBe(after.hits === ROWS ? 1 : 0);
      if (answer.status === 200) expect(after.hits).toBe(ROWS);
      console.log(`killed at ${Math.round(fullMs * moment)} ms of ${Math.round(fullMs)} ms: answer ${answer.status}, ${after.hits} hits committed`);
      const again = await startQuell(path);
      for (let send = 0; send < 2; send++) {
        const res = await postBody(again.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
        expect(res.status).toBe(200);
      }
      again.child.kill('SIGTERM');
      await again.exited;
      expect(inspect(path)).toMatchObject({ integrity: 'ok', hits: ROWS });
    }, 300_000);
  }
});
