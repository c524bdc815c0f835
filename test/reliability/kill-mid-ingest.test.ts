import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { NETCONN, netconnRow } from '../support/rows.js';
import { cloneTestDatabase, countIn, createTestDatabase, integrityOf, logPosition, type TestDatabase } from '../support/test-database.js';
import { postBody, prepareDatabase, startQuell } from './server-process.js';

// SIGKILL at five moments of one large ingest. Full size with RELIABILITY_FULL=1 (npm run test:reliability).
const ROWS = Number(process.env.RELIABILITY_FULL ? 200_000 : 30_000);
const MOMENTS = [0.1, 0.3, 0.5, 0.7, 0.9];

async function inspect(url: string) {
  return {
    integrity: await integrityOf(url),
    hits: await countIn(url, 'SELECT COUNT(*) AS n FROM "Hit" WHERE "huntId" = ?', [NETCONN]),
    batches: await countIn(url, `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'hits.ingest'`),
  };
}

describe(`a server killed mid-ingest of ${ROWS.toLocaleString('en')} rows`, () => {
  let template: TestDatabase, token: string, fullMs: number;
  const made: TestDatabase[] = [];
  const copy = async () => { const c = await cloneTestDatabase(template); made.push(c); return c.url; };
  const body = Buffer.from(`${Array.from({ length: ROWS }, (_, i) => JSON.stringify(netconnRow({ DeviceId: `kill-${i}`, DeviceName: `k-${i}` }))).join('\n')}\n`);

  beforeAll(async () => {
    template = await createTestDatabase();
    made.push(template);
    token = (await prepareDatabase(template.url, ['analyst'])).analyst;
    // How long one whole ingest takes here: the kill moments are fractions of it, so they fall in parsing and in writing.
    const q = await startQuell(await copy());
    const t0 = performance.now();
    const res = await postBody(q.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
    fullMs = performance.now() - t0;
    expect(res.status).toBe(200);
    q.child.kill('SIGTERM');
    await q.exited;
  }, 300_000);
  afterAll(async () => { for (const d of made) await d.drop(); });

  it('when it is killed while the batch\'s transaction is being written (the WAL is growing), then nothing of the batch is there', async () => {
    const url = await copy();
    const q = await startQuell(url);
    const start = await logPosition(url);
    const sent = postBody(q.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
    // The uncommitted transaction's pages go to the log as it grows (SQLite's WAL past the page cache, PostgreSQL's WAL
    // as rows are inserted): kill in the middle of that.
    for (let i = 0; i < 2_000 && await logPosition(url) < start + 4 * 1024 * 1024; i++) await new Promise((r) => setTimeout(r, 2));
    const walAtKill = await logPosition(url);
    q.child.kill('SIGKILL');
    await q.exited;
    await sent;
    const after = await inspect(url);
    console.log(`killed with the WAL at ${walAtKill - start} bytes written: ${after.hits} hits committed`);
    expect(walAtKill).toBeGreaterThan(start);
    expect(after).toMatchObject({ integrity: 'ok', batches: after.hits === ROWS ? 1 : 0 });
    expect([0, ROWS]).toContain(after.hits);
  }, 300_000);

  for (const [k, moment] of MOMENTS.entries()) {
    it(`when it is killed at ${moment * 100} % of an ingest, then the file is intact, the batch is all or nothing, and sending it again gives one copy`, async () => {
      const url = await copy();
      const q = await startQuell(url);
      const sent = postBody(q.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
      await new Promise((r) => setTimeout(r, fullMs * moment));
      q.child.kill('SIGKILL');
      await q.exited;
      const answer = await sent;
      const after = await inspect(url);
      expect(after.integrity).toBe('ok');
      // All or nothing: either the batch committed (and its audit event with it) or nothing of it is there.
      expect([0, ROWS]).toContain(after.hits);
      expect(after.batches).toBe(after.hits === ROWS ? 1 : 0);
      if (answer.status === 200) expect(after.hits).toBe(ROWS);
      console.log(`killed at ${Math.round(fullMs * moment)} ms of ${Math.round(fullMs)} ms: answer ${answer.status}, ${after.hits} hits committed`);
      const again = await startQuell(url);
      for (let send = 0; send < 2; send++) {
        const res = await postBody(again.port, token, `/api/hunts/${NETCONN}/hits`, body, 'application/x-ndjson');
        expect(res.status).toBe(200);
      }
      again.child.kill('SIGTERM');
      await again.exited;
      expect(await inspect(url)).toMatchObject({ integrity: 'ok', hits: ROWS });
    }, 300_000);
  }
});
